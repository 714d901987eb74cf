"""Strings of other people's pages that their Spanish catalogues leave untranslated.

Django 6.1's admin misses a few, in its pages and in its JavaScript; django-simple-history ships no
Spanish at all.

They are listed here so that `makemessages` keeps them in Minka's catalogue,
which takes precedence over Django's (LOCALE_PATHS). Drop a line once Django
ships its translation.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

DJANGO_ADMIN = [
    gettext_noop("Run"),
    gettext_noop("Filter by %(field_name)s"),
    gettext_noop("Pagination %(name)s entries"),
    gettext_noop("Pagination %(name)s"),
    gettext_noop("Search %(name)s"),
    gettext_noop("Logout"),
    gettext_noop('The app "%s" could not be found.'),
    gettext_noop(", "),
    gettext_noop(
        "Deleting the %(object_name)s “%(escaped_object)s” would require deleting the following protected "
        "related objects:"
    ),
    gettext_noop(
        "Are you sure you want to delete the %(object_name)s “%(escaped_object)s”? All of the following related "
        "items will be deleted:"
    ),
    ngettext_lazy("…and %(count)d more object.", "…and %(count)d more objects.", "count"),
]

DJANGO_FORMS = [
    gettext_noop("- Select an option -"),
    gettext_noop("“%(value)s” is not a valid binary value."),
    gettext_noop("No %s matches the given query."),
]

SIMPLE_HISTORY = [
    gettext_noop("View history: %s"),
    gettext_noop("Change history: %s"),
    gettext_noop('The %(name)s "%(obj)s" was changed successfully.'),
    gettext_noop("You may edit it again below"),
    gettext_noop("View %s"),
    gettext_noop("Revert %s"),
    gettext_noop("Created"),
    gettext_noop("Changed"),
    gettext_noop("Deleted"),
    gettext_noop("Deleted %(type_name)s"),
    gettext_noop("Choose a date from the list below to revert to a previous version of this object."),
    gettext_noop("This object doesn't have a change history."),
    gettext_noop("History"),
    gettext_noop("View %(verbose_name)s"),
    gettext_noop("Revert %(verbose_name)s"),
    gettext_noop("Press the 'Revert' button below to revert to this version of the object."),
    gettext_noop("Press the 'Change History' button below to edit the history."),
    gettext_noop("Object"),
    gettext_noop("Date/time"),
    gettext_noop("Comment"),
    gettext_noop("Changed by"),
    gettext_noop("Change reason"),
    gettext_noop("Changes"),
    ngettext_lazy("entry", "entries", "count"),
    gettext_noop("Revert"),
    gettext_noop("Change History"),
]


def admin_javascript(gettext, ngettext):
    """The strings of the admin's JavaScript (the calendar, the clock and its time-zone note, the actions)
    that Django 6.1's Spanish JavaScript catalogue lacks.

    Written as calls so that `makemessages` keeps them in Minka's catalogue; the admin's JavaScript
    catalogue (config.admin_catalog.AdminJavaScriptCatalog) calls this with functions that collect them.
    """
    return [
        gettext(
            "You have selected an action, and you haven’t made any changes on individual fields. You’re "  # noqa: RUF001
            "probably looking for the Run button rather than the Save button."
        ),
        gettext("server"),
        ngettext(
            "Note: Enter times in the %(timezone)s timezone. (You are %(offset)s hour ahead.)",
            "Note: Enter times in the %(timezone)s timezone. (You are %(offset)s hours ahead.)",
            1,
        ),
        ngettext(
            "Note: Enter times in the %(timezone)s timezone. (You are %(offset)s hour behind.)",
            "Note: Enter times in the %(timezone)s timezone. (You are %(offset)s hours behind.)",
            1,
        ),
        gettext("Today (%(date)s)"),
        gettext("Yesterday (%(date)s)"),
        gettext("Tomorrow (%(date)s)"),
        gettext("Previous (%(month)s %(year)s)"),
        gettext("Next (%(month)s %(year)s)"),
        gettext("%(month)s %(day)s, %(year)s"),
        gettext("%s (today, current selection)"),
        gettext("%s (today)"),
        gettext("%s (current selection)"),
    ]
