"""One cell of a file to one value of a model, and back (django-import-export widgets), and the resource every
import of a cooperative's rows is built on (cooperatives.spreadsheets)."""

import calendar
import datetime
import re

from django.utils.dates import MONTHS
from django.utils.translation import gettext as _
from import_export import resources, widgets
from openpyxl.utils.datetime import from_excel

from ..models import District
from .reading import word_key
from .writing import FORMULA_START


class TextWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        text = " ".join(str(value).split())
        if text[:1] == "'" and text[1:2] and text[1] in FORMULA_START:
            text = text[1:]  # neutralised by the export: see neutralise_formula
        return text

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class ChoiceWidget(widgets.Widget):
    """A choice by its value or by any of its words in Spanish or English (M, masculino, male)."""

    def __init__(self, words, message, **kwargs):
        self.words = {word_key(word): value for word, value in words.items()}
        self.message = message
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return ""
        try:
            return self.words[word_key(value)]
        except KeyError:
            raise ValueError(self.message % {"value": value}) from None

    def render(self, value, obj=None, **kwargs):
        return value or ""


class DateWidget(widgets.Widget):
    """A date as day/month/year (the way it is written in Peru), ISO, or a spreadsheet's date cell.

    A date that does not exist (31/02/1988) is refused saying why, not taken for another one.
    """

    DAY_FIRST = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})")
    YEAR_FIRST = re.compile(r"(\d{4})[/.-](\d{1,2})[/.-](\d{1,2})")
    # A date cell that lost its format reads as its serial number: 28624 is 14/05/1978. Smaller numbers
    # (a year typed alone, 1978) are before 1927, no member's birth or entry date.
    SERIALS = (10_000, 2_958_465)

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            if self.SERIALS[0] <= value <= self.SERIALS[1]:
                return from_excel(value).date()
            raise self._unreadable(value)
        text = str(value).strip()
        # A spreadsheet that kept a date as text may add a midnight time: 1978-05-14 00:00:00.
        text = re.sub(r"[ T]00:00(:00)?$", "", text)
        if match := self.DAY_FIRST.fullmatch(text):
            day, month, year = (int(part) for part in match.groups())
            if len(match[3]) == 2:
                year = datetime.datetime.strptime(match[3], "%y").year
        elif match := self.YEAR_FIRST.fullmatch(text):
            year, month, day = (int(part) for part in match.groups())
        else:
            raise self._unreadable(value)
        if not 1 <= month <= 12:
            raise ValueError(
                _('"%(value)s" is not a date: there is no month %(month)d. Write the date as day/month/year.')
                % {"value": value, "month": month}
            )
        days = calendar.monthrange(year, month)[1]
        if not 1 <= day <= days:
            raise ValueError(
                _('"%(value)s" is not a date: %(month)s %(year)d has %(days)d days.')
                % {"value": value, "month": MONTHS[month], "year": year, "days": days}
            )
        return datetime.date(year, month, day)

    def _unreadable(self, value):
        return ValueError(_('Write the date as day/month/year, e.g. 14/05/1978; got "%(value)s".') % {"value": value})

    def render(self, value, obj=None, **kwargs):
        return value.strftime("%d/%m/%Y") if value else ""


class DistrictWidget(widgets.Widget):
    """A district by its INEI ubigeo (220904) or its name (Chazuta) when the name is unique in Peru."""

    def __init__(self, **kwargs):
        self._by_name = None
        self._by_inei = {}
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            raise ValueError(_("The district is required: write its INEI ubigeo or its name."))
        if isinstance(value, (int, float)):
            value = f"{int(value):06d}"
        text = str(value).strip()
        if text.isdigit():
            if text.zfill(6) not in self._by_inei:
                self._by_inei[text.zfill(6)] = District.objects.filter(inei=text.zfill(6)).first()
            district = self._by_inei[text.zfill(6)]
            if district is None:
                raise ValueError(_('No district has the INEI ubigeo "%(value)s".') % {"value": value})
            return district
        if self._by_name is None:
            self._by_name = {}
            for district in District.objects.all():
                self._by_name.setdefault(word_key(district.name), []).append(district)
        found = self._by_name.get(word_key(text), [])
        if not found:
            raise ValueError(_('No district is called "%(value)s": write its INEI ubigeo.') % {"value": value})
        if len(found) > 1:
            raise ValueError(
                _('%(count)d districts are called "%(value)s": write the INEI ubigeo.')
                % {"count": len(found), "value": value}
            )
        return found[0]

    def render(self, value, obj=None, **kwargs):
        return value.inei if value else ""


# ---------------------------------------------------------------------------
# The resource


class CooperativeResource(resources.ModelResource):
    """The rows of one cooperative in a spreadsheet, and the hooks of table_import.

    The cooperative is the caller's: a file never says which cooperative its rows join.
    """

    def __init__(self, *, cooperative, **kwargs):
        self.cooperative = cooperative
        super().__init__(**kwargs)

    def get_queryset(self):
        return self._meta.model.objects.for_cooperative(self.cooperative)

    def init_instance(self, row=None):
        return self._meta.model(cooperative=self.cooperative)

    def instances_by_key(self, key, values):
        """The stored rows whose `key` is one of `values`, read in one query: {value: instance}."""
        return {getattr(row, key): row for row in self.get_queryset().filter(**{f"{key}__in": values})}

    def before_rows(self, rows):
        """Read at once what the rows' widgets would otherwise look up one row at a time."""

    def fill_row(self, instance, before, row):
        """Fill in what the row leaves empty and can be known otherwise; return notes ({field: [messages]}).

        Called once the row's cells are read, before the row is checked; `before` is None for a new row.
        """
        return {}

    def summary(self):
        """Sentences about the whole file for the report (what fill_row filled, counted), once every row is read."""
        return []

    def check_row(self, instance, before):
        """Rules of a change rather than of a row ({field: [messages]}); `before` is None for a new row."""
        return {}

    def after_write(self, *, created, changed, user):
        """What else a written file changes; `changed` holds (instance, values before) pairs."""
