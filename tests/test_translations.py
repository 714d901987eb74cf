"""The Spanish (Peru) catalogue: complete, faithful to its placeholders, compiled, and used.

The .po files are read with the standard library (polib is not a dependency);
the .mo files are read with gettext, as Django reads them.
"""

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils import translation

from certifications.models import Inspection, NonConformity
from cooperatives.validators import normalize_ruc, validate_percentage
from harvests.models import Delivery
from plots import geometry
from plots.models import ConversionStatus, Plot
from producers.models import HouseholdMember, Producer

LOCALE = Path(settings.LOCALE_PATHS[0])
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdifr]")


def entries(language):
    """The entries of a catalogue, header first: flags, msgid, msgid_plural and msgstr (a dict for plurals)."""
    text = (LOCALE / language / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    found = []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = [line for line in block.splitlines() if not line.startswith("#~")]
        if not any(line.startswith("msgid") for line in lines):
            continue  # an obsolete entry, or a block of comments
        entry = {"flags": set(), "msgid_plural": None, "msgstr": {}}
        key = None
        for line in lines:
            if line.startswith("#,"):
                entry["flags"].update(flag.strip() for flag in line[2:].split(","))
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                value = ast.literal_eval(line)
                if isinstance(key, int):
                    entry["msgstr"][key] += value
                else:
                    entry[key] += value
            else:
                keyword, _, value = line.partition(" ")
                value = ast.literal_eval(value)
                if keyword.startswith("msgstr["):
                    key = int(keyword[7:-1])
                    entry["msgstr"][key] = value
                elif keyword == "msgstr":
                    key = 0
                    entry["msgstr"][0] = value
                else:
                    key = keyword
                    entry[key] = value
        found.append(entry)
    assert found and found[0]["msgid"] == "", "A catalogue starts with its header."
    return found


def messages(language):
    return entries(language)[1:]


def nplurals(language):
    header = entries(language)[0]["msgstr"][0]
    return int(re.search(r"nplurals=(\d+)", header)[1])


def compiled(language):
    with (LOCALE / language / "LC_MESSAGES" / "django.mo").open("rb") as handle:
        return gettext.GNUTranslations(handle)


@pytest.fixture
def spanish():
    with translation.override("es"):
        yield


# The catalogue itself


def test_the_spanish_catalogue_has_no_untranslated_or_fuzzy_entry():
    untranslated = [e["msgid"] for e in messages("es") if not all(e["msgstr"].values())]
    fuzzy = [e["msgid"] for e in entries("es") if "fuzzy" in e["flags"]]
    assert untranslated == []
    assert fuzzy == []


def test_the_spanish_catalogue_is_not_empty():
    assert len(messages("es")) > 300


def test_every_plural_entry_fills_every_plural_form_of_spanish():
    plurals = [e for e in messages("es") if e["msgid_plural"]]
    assert plurals, "The catalogue has plural entries (the holes of a polygon)."
    for entry in plurals:
        assert sorted(entry["msgstr"]) == list(range(nplurals("es"))), entry["msgid"]


def test_every_spanish_translation_keeps_the_placeholders_of_its_english():
    for entry in messages("es"):
        for index, translated in entry["msgstr"].items():
            if not translated:
                continue  # untranslated: the test above says so
            source = entry["msgid_plural"] if index and entry["msgid_plural"] else entry["msgid"]
            assert sorted(PLACEHOLDER.findall(translated)) == sorted(PLACEHOLDER.findall(source)), entry["msgid"]


def test_the_english_catalogue_lists_the_same_messages_as_the_spanish_one():
    # English is the source language: its entries may stay empty, but none may be missing.
    assert [e["msgid"] for e in messages("en")] == [e["msgid"] for e in messages("es")]


@pytest.mark.parametrize("language", ["es", "en"])
def test_the_compiled_catalogue_says_what_the_po_file_says(language):
    catalogue = compiled(language)
    for entry in messages(language):
        if entry["msgid_plural"]:
            for count, index in ((1, 0), (2, len(entry["msgstr"]) - 1)):
                expected = entry["msgstr"][index] or (entry["msgid"] if count == 1 else entry["msgid_plural"])
                assert catalogue.ngettext(entry["msgid"], entry["msgid_plural"], count) == expected
        elif "msgctxt" in entry:
            # One English word, two meanings ("Change" a language, a "Change" of status): each its own.
            assert catalogue.pgettext(entry["msgctxt"], entry["msgid"]) == (entry["msgstr"][0] or entry["msgid"])
        else:
            assert catalogue.gettext(entry["msgid"]) == (entry["msgstr"][0] or entry["msgid"])


# The catalogue as the application uses it


def test_the_model_names_are_in_spanish(spanish):
    assert Producer._meta.verbose_name == "productor"
    assert Producer._meta.verbose_name_plural == "productores"
    assert Plot._meta.verbose_name == "parcela"
    assert Delivery._meta.verbose_name == "entrega"
    assert Inspection._meta.verbose_name == "inspección interna"
    assert NonConformity._meta.verbose_name == "no conformidad"
    assert HouseholdMember._meta.verbose_name == "miembro del hogar"


def test_the_field_and_choice_labels_are_in_spanish(spanish):
    assert Producer._meta.get_field("last_name").verbose_name == "apellidos"
    assert Producer._meta.get_field("first_name").verbose_name == "nombres"
    assert Plot._meta.get_field("tenure").verbose_name == "tenencia"
    assert Delivery._meta.get_field("collection_centre").verbose_name == "centro de acopio"
    assert Delivery.State.WET.label == "en baba"
    assert Plot.Tenure.POSSESSION.label == "constancia de posesión"
    assert ConversionStatus.YEAR_1.label == "en transición, año 1"


def test_a_validator_message_keeps_its_number_in_spanish(spanish):
    with pytest.raises(ValidationError) as caught:
        normalize_ruc("2051233379")
    assert caught.value.messages == ["Un RUC tiene 11 dígitos; este tiene 10."]
    with pytest.raises(ValidationError) as caught:
        validate_percentage(120)
    assert caught.value.messages == ["Un porcentaje va de 0 a 100; se ingresó 120."]


def test_a_plural_message_counts_in_spanish(spanish):
    outer = [[0, 0], [0, 10], [10, 10], [10, 0], [0, 0]]
    hole = [[2, 2], [2, 3], [3, 3], [3, 2], [2, 2]]
    other_hole = [[5, 5], [5, 6], [6, 6], [6, 5], [5, 5]]
    for rings, expected in (
        ([outer, hole], "Este polígono tiene 1 hueco; el sistema de la UE no procesa huecos."),
        ([outer, hole, other_hole], "Este polígono tiene 2 huecos; el sistema de la UE no procesa huecos."),
    ):
        with pytest.raises(ValidationError) as caught:
            geometry.validate({"type": "Polygon", "coordinates": rings})
        assert caught.value.messages == [expected]


def test_the_admin_site_is_titled_in_spanish(spanish):
    assert str(admin.site.index_title) == "Administración de la cooperativa"


def test_english_shows_the_messages_as_written():
    with translation.override("en"):
        assert Producer._meta.verbose_name == "producer"
        assert Delivery.State.WET.label == "wet (baba)"
