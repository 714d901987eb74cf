"""Peruvian identifiers and plain quantities, checked against numbers written by others.

The DNI, CUI and RUC numbers come from python-stdnum's doctests (tests/fixtures/README.md).
"""

import csv
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from cooperatives.models import District
from cooperatives.validators import (
    normalize_dni,
    normalize_ruc,
    validate_dni,
    validate_percentage,
    validate_positive,
    validate_ruc,
    validate_ubigeo,
)

PERU = Path(__file__).resolve().parent.parent / "fixtures" / "peru"


def lines(name):
    return (PERU / name).read_text(encoding="utf-8").splitlines()


def tab_separated(name):
    return [tuple(line.split("\t")) for line in lines(name)]


@pytest.fixture(autouse=True)
def english():
    # The messages are asserted in the language they are written in, whatever LANGUAGE_CODE says.
    with translation.override("en"):
        yield


def refusal(validator, value):
    with pytest.raises(ValidationError) as caught:
        validator(value)
    error = caught.value
    return error.code, error.messages


# DNI and CUI

CUI_VALID = lines("cui_valid.txt")
CUI_INVALID = tab_separated("cui_invalid.txt")
DNI_LENGTH = ("dni_length", ["A DNI has 8 digits (9 with the check character of the CUI)."])
DNI_FORMAT = ("dni_format", ["A DNI has digits only."])
DNI_MESSAGE_FOR = {"InvalidLength": DNI_LENGTH, "InvalidFormat": DNI_FORMAT}


def test_the_cui_fixture_holds_the_numbers_its_readme_describes():
    assert len(CUI_VALID) == 37
    assert CUI_INVALID == [("1081254332", "InvalidLength"), ("108125H3-3", "InvalidFormat")]


@pytest.mark.parametrize("cui", CUI_VALID)
def test_every_published_cui_normalises_to_its_eight_digit_dni(cui):
    # Every line starts with the DNI, whatever follows: "05209244-8", "10586119B", "474996072".
    assert normalize_dni(cui) == cui[:8]


def test_a_cui_is_read_in_lower_case_and_with_spaces():
    assert normalize_dni(" 10812543 - h ") == "10812543"


@pytest.mark.parametrize(("cui", "expected"), CUI_INVALID)
def test_each_published_invalid_cui_is_refused_with_the_message_for_its_defect(cui, expected):
    assert refusal(normalize_dni, cui) == DNI_MESSAGE_FOR[expected]


def test_a_cui_with_a_wrong_check_character_is_refused():
    # 10812543's check character is 3 or H (both published as valid).
    assert refusal(normalize_dni, "10812543-4") == (
        "dni_checksum",
        ["The check character does not match this DNI: please check the number."],
    )


def test_an_eight_digit_dni_passes_without_a_check_character():
    assert normalize_dni("40812023") == "40812023"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("4081202", DNI_LENGTH),
        ("", DNI_LENGTH),
        (None, DNI_LENGTH),
        ("4081202A", DNI_FORMAT),
        ("ABCDEFGH", DNI_FORMAT),
    ],
    ids=["seven digits", "empty", "none", "a letter", "letters"],
)
def test_a_dni_that_is_not_eight_digits_is_refused(value, expected):
    assert refusal(normalize_dni, value) == expected


@pytest.mark.parametrize("dni", ["40812023", "05209244"])
def test_the_model_validator_accepts_eight_digits(dni):
    assert validate_dni(dni) is None


@pytest.mark.parametrize(
    "value",
    [
        "4081202",
        "408120239",
        "40812023-9",
        "4081202A",
        " 40812023",
        "40812023\n",
        "",
        # str.isdigit() says yes to these; SUNAT and RENIEC say no.
        "".join(chr(0x0660 + int(d)) for d in "40812023"),  # Arabic-Indic digits
        "".join(chr(0xFF10 + int(d)) for d in "40812023"),  # fullwidth digits
    ],
    ids=["7 digits", "9 digits", "a CUI", "a letter", "a space", "a newline", "empty", "arabic-indic", "fullwidth"],
)
def test_the_model_validator_accepts_only_eight_ascii_digits(value):
    assert refusal(validate_dni, value) == ("dni_format", ["A DNI has exactly 8 digits."])


# RUC

RUC_VALID = lines("ruc_valid.txt")
RUC_INVALID = tab_separated("ruc_invalid.txt")
RUC_MESSAGE_FOR = {
    "InvalidLength": ("ruc_length", ["A RUC has 11 digits; this one has 10."]),
    "InvalidComponent": ("ruc_prefix", ["A RUC starts with 10, 15, 17 or 20."]),
    "InvalidFormat": ("ruc_format", ["A RUC has digits only."]),
}


def test_the_ruc_fixture_holds_the_numbers_its_readme_describes():
    assert len(RUC_VALID) == 113
    assert {number[:2] for number in RUC_VALID} == {"10", "15", "17", "20"}
    assert [expected for _number, expected in RUC_INVALID] == ["InvalidLength", "InvalidComponent", "InvalidFormat"]


@pytest.mark.parametrize("number", RUC_VALID)
def test_every_published_ruc_passes(number):
    assert normalize_ruc(number) == number
    assert validate_ruc(number) is None


@pytest.mark.parametrize(("number", "expected"), RUC_INVALID)
def test_each_published_invalid_ruc_is_refused_with_the_message_for_its_defect(number, expected):
    assert refusal(normalize_ruc, number) == RUC_MESSAGE_FOR[expected]
    assert refusal(validate_ruc, number) == RUC_MESSAGE_FOR[expected]


def test_a_ruc_with_a_correct_check_digit_but_an_unknown_prefix_is_refused_for_its_prefix():
    # 99512333792 is 20512333797 with a prefix no taxpayer has; its check digit is right.
    assert refusal(validate_ruc, "99512333792") == RUC_MESSAGE_FOR["InvalidComponent"]


@pytest.mark.parametrize("number", ["20512333790", "20512333798"])
def test_a_ruc_whose_last_digit_is_changed_is_refused_for_its_check_digit(number):
    expected = ("ruc_checksum", ["This RUC's check digit is wrong: please check the number."])
    assert refusal(normalize_ruc, number) == expected
    assert refusal(validate_ruc, number) == expected


@pytest.mark.parametrize("written", ["20512333797 ", "205-1233-3797", "20 512 333 797", "20512333-797"])
def test_normalize_ruc_compacts_spaces_and_dashes_but_the_model_validator_refuses_them(written):
    assert normalize_ruc(written) == "20512333797"
    assert refusal(validate_ruc, written) == (
        "ruc_format",
        ["Write the RUC as 11 digits, without spaces or dashes."],
    )


def test_a_ruc_length_message_counts_the_digits_given():
    assert refusal(normalize_ruc, "205123337971") == ("ruc_length", ["A RUC has 11 digits; this one has 12."])
    assert refusal(normalize_ruc, "") == ("ruc_length", ["A RUC has 11 digits; this one has 0."])


# Ubigeo

UBIGEO_MESSAGE = ("ubigeo_format", ["A ubigeo has exactly 6 digits."])


@pytest.mark.parametrize("code", ["220904", "210606", "010101"])
def test_a_six_digit_ubigeo_passes(code):
    assert validate_ubigeo(code) is None


@pytest.mark.parametrize(
    "code",
    ["22090", "2209040", "22O904", "22-09-04", "", "NA", "".join(chr(0xFF10 + int(d)) for d in "220904")],
    ids=["5 digits", "7 digits", "letter O", "dashes", "empty", "NA", "fullwidth"],
)
def test_anything_but_six_digits_is_refused_as_a_ubigeo(code):
    assert refusal(validate_ubigeo, code) == UBIGEO_MESSAGE


@pytest.mark.parametrize(
    ("name", "inei", "reniec"),
    [("CHAZUTA", "220904", "210606"), ("CHIPURANA", "220905", "210607"), ("HUIMBAYOC", "220907", "210609")],
)
def test_the_district_table_translates_between_reniec_and_inei_codes(db, name, inei, reniec):
    assert District.objects.get(reniec=reniec).inei == inei
    district = District.objects.get(inei=inei)
    assert (district.reniec, district.name, district.province, district.department) == (
        reniec,
        name,
        "SAN MARTIN",
        "SAN MARTIN",
    )


def test_the_district_table_holds_every_row_of_the_published_csv_that_has_an_inei_code(db):
    with (PERU / "ubigeo_distrito.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 1893
    expected = {row["inei"]: row["reniec"] if row["reniec"] != "NA" else "" for row in rows if row["inei"] != "NA"}
    assert dict(District.objects.values_list("inei", "reniec")) == expected
    # San Antonio (Moquegua) has a RENIEC code only, so it cannot be keyed by INEI.
    assert District.objects.filter(reniec="170107").exists() is False
    # Santa María de Huachipa has an INEI code only.
    assert District.objects.get(inei="150144").reniec == ""


# Weights and percentages


@pytest.mark.parametrize("value", [Decimal("0"), Decimal("0.00"), Decimal("-0.01"), -1])
def test_validate_positive_refuses_zero_and_negatives(value):
    code, messages = refusal(validate_positive, value)
    assert (code, messages) == ("not_positive", [f"This must be more than zero; got {value}."])


@pytest.mark.parametrize("value", [Decimal("0.01"), Decimal("250.00"), 1, None])
def test_validate_positive_accepts_more_than_zero_and_no_value(value):
    assert validate_positive(value) is None


@pytest.mark.parametrize(
    ("value", "shown"), [(-1, "-1"), (Decimal("-0.01"), "-0.01"), (Decimal("100.01"), "100.01"), (101, "101")]
)
def test_validate_percentage_refuses_what_lies_outside_0_to_100(value, shown):
    assert refusal(validate_percentage, value) == (
        "percentage_range",
        [f"A percentage lies between 0 and 100; got {shown}."],
    )


@pytest.mark.parametrize("value", [0, Decimal("7.50"), Decimal("100.00"), 100, None])
def test_validate_percentage_accepts_0_to_100_inclusive(value):
    assert validate_percentage(value) is None
