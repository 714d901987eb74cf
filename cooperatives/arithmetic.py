"""Decimal arithmetic written by the database, exact on PostgreSQL and on SQLite alike."""

from django.db.models import F, Value
from django.db.models.functions import Round


def added(model, field, amount):
    """``F(field) + amount`` for an UPDATE, rounded to the field's decimal places.

    PostgreSQL's NUMERIC adds exactly, and rounding changes nothing there. SQLite adds binary
    floats: a delivery's 72.02 + 0.01 + 0.01 kg comes out a hair above its 72.04 kg, and the
    check that a delivery is never over-allocated refuses a lot that takes exactly what it
    brought. Rounded, the sum is the very float that writing 72.04 stores, so comparisons
    between columns (allocated <= dry, claimed <= bought) hold exactly on both.
    """
    places = model._meta.get_field(field).decimal_places
    return Round(F(field) + Value(amount), places)
