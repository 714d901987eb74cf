"""Django's SQLite backend, reading decimals as PostgreSQL gives them.

SQLite keeps a decimal column as a binary float. Django rounds a column read back to its
decimal places, but not a sum or any other expression: a season's 3669 kg read as
``Decimal("3669")`` here and ``Decimal("3669.00")`` on PostgreSQL, and a sum of 72.03 and 0.01
as ``72.0400000000000``. Here a decimal expression is rounded to the places PostgreSQL's NUMERIC
would give it (the field's own, or those of its operands: the most of a sum or difference, the
total of a product), so the API, pages and exports print the same figures on both databases (the
embedded one is what `make run` serves).
"""

import decimal
from collections.abc import Mapping

from django.db.backends.sqlite3 import base, operations
from django.db.models import Aggregate, Func, Value
from django.db.models.expressions import Combinable, CombinedExpression

# A product of two decimals has as many places as both together; a quotient, as many as
# PostgreSQL chooses (at least 16 significant digits): such a figure is left as SQLite gives it.
_SUMS = {Combinable.ADD, Combinable.SUB}


def numeric_places(expression):
    """The decimal places PostgreSQL's NUMERIC gives `expression`, or None if they cannot be told."""
    field = getattr(expression, "output_field", None)
    places = getattr(field, "decimal_places", None)
    if places is not None:
        return places
    if field is not None and field.get_internal_type() in {"IntegerField", "BigIntegerField", "SmallIntegerField"}:
        return 0
    if isinstance(expression, Value) and isinstance(expression.value, decimal.Decimal):
        return max(0, -expression.value.as_tuple().exponent)
    if isinstance(expression, CombinedExpression):
        left, right = numeric_places(expression.lhs), numeric_places(expression.rhs)
        if left is None or right is None:
            return None
        if expression.connector in _SUMS:
            return max(left, right)
        if expression.connector == Combinable.MUL:
            return left + right
        return None
    if isinstance(expression, Aggregate | Func) and expression.function in {"SUM", "MIN", "MAX", "COALESCE", "ABS"}:
        sources = [numeric_places(source) for source in expression.get_source_expressions() if source is not None]
        sources = [places for places in sources if places is not None]
        return max(sources) if sources else None
    return None


class DatabaseOperations(operations.DatabaseOperations):
    def get_decimalfield_converter(self, expression):
        places = numeric_places(expression)
        if places is None:
            return super().get_decimalfield_converter(expression)
        quantum = decimal.Decimal(1).scaleb(-places)
        create_decimal = self._create_decimal
        context = decimal.Context(prec=28)

        def converter(value, expression, connection):
            if value is not None:
                return create_decimal(value).quantize(quantum, context=context)

        return converter


class CursorWrapper(base.SQLiteCursorWrapper):
    """Binds an integer beyond 64 bits, which SQLite's driver refuses (OverflowError: a 500 on an id such as
    10**30 in a form's choice or a filter), as a REAL: compared with any stored integer it is as far out of
    range as the number itself, so `=`, `IN` and `>=` find no row, as PostgreSQL's NUMERIC comparison does."""

    def execute(self, query, params=None):
        if (
            params is not None
            and not isinstance(params, Mapping)
            and any(type(p) is int and not -(2**63) <= p < 2**63 for p in params)
        ):
            params = [float(p) if type(p) is int and not -(2**63) <= p < 2**63 else p for p in params]
        return super().execute(query, params)


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations

    def create_cursor(self, name=None):
        return self.connection.cursor(factory=CursorWrapper)
