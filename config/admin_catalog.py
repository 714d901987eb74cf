"""The admin's JavaScript catalogue in Spanish, completed from Minka's catalogue (config.translation_gaps)."""

from gettext import c2py

from django.contrib import admin
from django.utils.translation import gettext, ngettext
from django.views.i18n import JavaScriptCatalog

from . import translation_gaps


class AdminJavaScriptCatalog(JavaScriptCatalog):
    """The admin's JavaScript catalogue, with the strings its Spanish one lacks taken from Minka's catalogue
    (translation_gaps.admin_javascript): the calendar's words and the time-zone note of a time field
    stayed in English on Spanish pages. Served at the admin's own address, before the admin's URLs."""

    packages = ["django.contrib.admin"]

    def get_catalog(self):
        catalog = super().get_catalog()
        # A count for each plural form of the language, as the catalogue's JavaScript picks them.
        form_of = c2py(self.get_plural() or "n != 1")
        counts = {}
        for count in (1, 2, 0, 5, 11, 21, 101, 1_000_000):
            counts.setdefault(form_of(count), count)
        msgids = translation_gaps.admin_javascript(lambda msgid: (msgid,), lambda *plural: plural[:2])
        for msgid in msgids:
            if len(msgid) == 1:
                translated = gettext(msgid[0])
                if translated != msgid[0]:
                    catalog[msgid[0]] = translated
                continue
            singular, plural = msgid
            forms = [ngettext(singular, plural, counts.get(form, 2)) for form in range(self._num_plurals)]
            if any(form not in (singular, plural) for form in forms):
                catalog[singular] = forms
        return catalog


admin_javascript_catalog = admin.site.admin_view(AdminJavaScriptCatalog.as_view(), cacheable=True)
