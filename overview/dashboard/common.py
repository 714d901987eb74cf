"""What the dashboard's figures share: their limits, and the arithmetic of shares and years. (overview.dashboard)"""

from decimal import Decimal

from producers.models import Producer

YOUTH_AGE = 30
EXPIRY_DAYS = 90
# This season beside the one before: each season more is another season of purchases to add up
# (about 7 ms for a cooperative of 1,000 families), which a monthly summary table would spare.
SEASONS_SHOWN = 2
# DOMAIN.md: export beans aim at 7.5 % moisture at most, and never above 8 %.
MOISTURE_TARGET = Decimal("7.5")
MOISTURE_MAX = Decimal("8")
MEMBER_STATUSES = [Producer.Status.ACTIVE, Producer.Status.SUSPENDED]
ZERO = Decimal(0)


def years_before(day, years):
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def pct(part, whole, places="0.1"):
    """`part` as a percentage of `whole`, or None when there is no whole."""
    if not whole:
        return None
    return (Decimal(part or 0) * 100 / Decimal(whole)).quantize(Decimal(places))


def _by_cooperative(ids, rows, empty):
    """{id: row without its cooperative_id} for every id, `empty()` where the database had no row."""
    result = {pk: empty() for pk in ids}
    for row in rows:
        pk = row.pop("cooperative_id")
        result[pk] = {**empty(), **{k: v for k, v in row.items() if v is not None}}
    return result
