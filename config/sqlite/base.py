"""Django's SQLite backend, reading decimals as PostgreSQL gives them.

SQLite keeps a decimal column as a binary float. Django rounds a column read back to its
decimal places, but not a sum or any other expression: a season's 3669 kg read as
``Decimal("3669")`` here and ``Decimal("3669.00")`` on PostgreSQL, and a sum of 72.03 and 0.01
as ``72.0400000000000``. Here every decimal expression that declares its places is rounded to
them, as PostgreSQL's NUMERIC keeps them, so the API, pages and exports print the same figures
on both databases (the embedded database is the one `make run` serves).
"""

import decimal

from django.db.backends.sqlite3 import base, operations


class DatabaseOperations(operations.DatabaseOperations):
    def get_decimalfield_converter(self, expression):
        places = expression.output_field.decimal_places
        if places is None:
            return super().get_decimalfield_converter(expression)
        quantum = decimal.Decimal(1).scaleb(-places)
        create_decimal = self._create_decimal
        context = expression.output_field.context

        def converter(value, expression, connection):
            if value is not None:
                return create_decimal(value).quantize(quantum, context=context)

        return converter


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
