"""Validators for Peruvian identifiers and the domain's plain quantities.

Each raises a ValidationError whose message a field officer can act on; the
check-digit arithmetic itself is python-stdnum's.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength
from stdnum.pe import cui, ruc
from stdnum.util import clean

RUC_PREFIXES = ("10", "15", "17", "20")


def normalize_ruc(value):
    """Return the 11 digits of a RUC, or raise a ValidationError saying what is wrong.

    Spaces and dashes are dropped first, as invoices write them (20-51233379-7);
    stdnum's ruc.compact drops only spaces.
    """
    value = clean(str(value or ""), " -").strip()
    try:
        return ruc.validate(value)
    except InvalidLength:
        raise ValidationError(
            _("A RUC has 11 digits; this one has %(count)d."),
            code="ruc_length",
            params={"count": len(value)},
        ) from None
    except InvalidFormat:
        raise ValidationError(_("A RUC has digits only."), code="ruc_format") from None
    except InvalidComponent:
        raise ValidationError(_("A RUC starts with 10, 15, 17 or 20."), code="ruc_prefix") from None
    except InvalidChecksum:
        raise ValidationError(
            _("This RUC's check digit is wrong: please check the number."), code="ruc_checksum"
        ) from None


def validate_ruc(value):
    if normalize_ruc(value) != value:
        raise ValidationError(_("Write the RUC as 11 digits, without spaces or dashes."), code="ruc_format")


def normalize_dni(value):
    """Return the 8 digits of a DNI given as a DNI or as a CUI (DNI + check character).

    The check character is verified when present, so a mistyped digit is caught
    where the card carries one.
    """
    value = cui.compact(str(value or "")).upper()
    try:
        value = cui.validate(value)
    except InvalidLength:
        raise ValidationError(
            _("A DNI has 8 digits (9 with the check character of the CUI)."), code="dni_length"
        ) from None
    except InvalidFormat:
        raise ValidationError(_("A DNI has digits only."), code="dni_format") from None
    except InvalidChecksum:
        raise ValidationError(
            _("The check character does not match this DNI: please check the number."),
            code="dni_checksum",
        ) from None
    return value[:8]


# [0-9], not \d: \d also matches Arabic-Indic, fullwidth and other Unicode digits.
validate_dni = RegexValidator(r"^[0-9]{8}\Z", _("A DNI has exactly 8 digits."), code="dni_format")

validate_ubigeo = RegexValidator(r"^[0-9]{6}\Z", _("A ubigeo has exactly 6 digits."), code="ubigeo_format")


def validate_percentage(value):
    if value is not None and not (Decimal(0) <= Decimal(value) <= Decimal(100)):
        raise ValidationError(
            _("A percentage lies between 0 and 100; got %(value)s."),
            code="percentage_range",
            params={"value": value},
        )


def validate_positive(value):
    if value is not None and value <= 0:
        raise ValidationError(
            _("This must be more than zero; got %(value)s."),
            code="not_positive",
            params={"value": value},
        )


non_negative = MinValueValidator(0)


def year_between(low, high):
    return [MinValueValidator(low), MaxValueValidator(high)]


# Dates of the cooperative's records: none before 1900 (the oldest member's birth), and none further
# ahead than the record can be known (9999-12-31 typed for 2026-12-31 is refused, not stored).
EARLIEST_DATE = datetime.date(1900, 1, 1)


@deconstructible
class DateWithin:
    """A date from 1900 to `years_ahead` years after today in Lima; `years_ahead=0`: not after today.

    Today is read when the date is checked, so the bound moves on with time (and migrations do
    not change with it).
    """

    def __init__(self, years_ahead=0):
        self.years_ahead = years_ahead

    def __call__(self, value):
        if value < EARLIEST_DATE:
            raise ValidationError(
                _("Enter a date from %(year)s on."), code="date_too_early", params={"year": EARLIEST_DATE.year}
            )
        today = timezone.localdate()
        if value > latest_date(today, self.years_ahead):
            if self.years_ahead == 0:
                raise ValidationError(_("The date cannot be in the future."), code="date_in_future")
            raise ValidationError(
                ngettext_lazy(
                    "Enter a date at most %(years)d year from today.",
                    "Enter a date at most %(years)d years from today.",
                    "years",
                ),
                code="date_too_far",
                params={"years": self.years_ahead},
            )

    def __eq__(self, other):
        return isinstance(other, DateWithin) and other.years_ahead == self.years_ahead


def latest_date(start, years):
    """`start` moved `years` years on (29 February to 28 February when the year has none)."""
    try:
        return start.replace(year=start.year + years)
    except ValueError:
        return start.replace(year=start.year + years, day=28)
