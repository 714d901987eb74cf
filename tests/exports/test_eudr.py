import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from exports import eudr
from plots import geometry as geo
from tests import factories

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "eudr"
EU_EXAMPLES = ["eu_example_type1.geojson", "eu_example_type2.geojson"]
EU_PROPERTIES = {"ProducerName", "ProducerCountry", "ProductionPlace", "Area"}


def export(plots, **options):
    """(list of parsed files, the EudrExport) of `plots`."""
    job = eudr.EudrExport(plots, **options)
    texts = [b"".join(chunks) for chunks in job.files()]
    return [json.loads(text) for text in texts], job, texts


def assert_valid_eudr_file(collection):
    assert collection["type"] == "FeatureCollection"
    for feature in collection["features"]:
        assert feature["type"] == "Feature"
        assert set(feature["properties"]) == EU_PROPERTIES
        assert feature["properties"]["ProducerCountry"] == "PE"
        assert type(feature["properties"]["Area"]) is float
        # Already cut to 6 decimals: validating and cutting again changes nothing.
        assert geo.validate_for_eudr(feature["geometry"]) == feature["geometry"]
        if feature["geometry"]["type"] == "Point":
            assert 0.0001 <= feature["properties"]["Area"] <= 4


def places(collections):
    return [f["properties"]["ProductionPlace"] for c in collections for f in c["features"]]


@pytest.mark.parametrize("name", EU_EXAMPLES)
def test_the_eu_examples_pass_our_validator(name):
    collection = json.loads((FIXTURES / name).read_text())
    for feature in collection["features"]:
        assert geo.validate_for_eudr(feature["geometry"]) == feature["geometry"]
        assert set(feature["properties"]) <= EU_PROPERTIES
        assert type(feature["properties"]["Area"]) is float


@pytest.fixture
def families(coop):
    rosa = factories.ProducerFactory(cooperative=coop, first_name="Rosa", last_name="Tapullima")
    luis = factories.ProducerFactory(cooperative=coop, first_name="Luis", last_name="Sangama")
    plots = [
        factories.PlotFactory(producer=rosa, code="P-1", name="La Loma"),
        factories.PlotFactory(producer=rosa, code="P-2", name="El Bajo"),
        factories.PlotFactory(producer=luis, code="P-3", name=""),
    ]
    return rosa, luis, plots


def test_our_export_of_a_cooperative_passes_the_same_validation_with_the_eu_property_names(coop, families):
    _rosa, _, _ = families
    factories.PlotFactory()  # another cooperative's plot

    (collection,), job, _texts = export(eudr.plots_for_cooperative(coop))

    assert_valid_eudr_file(collection)
    assert places([collection]) == ["P-1 La Loma", "P-2 El Bajo", "P-3"]
    first = collection["features"][0]["properties"]
    assert first == {
        "ProducerName": "Rosa Tapullima",
        "ProducerCountry": "PE",
        "ProductionPlace": "P-1 La Loma",
        "Area": 1.227,
    }
    eu_names = {
        p
        for name in EU_EXAMPLES
        for f in json.loads((FIXTURES / name).read_text())["features"]
        for p in f["properties"]
    }
    assert eu_names <= set(first)
    assert (job.written, job.errors, job.file_count) == (3, [], 1)


def point(lon=-76.1378, lat=-6.5736):
    return {"type": "Point", "coordinates": [lon, lat]}


def test_a_point_of_4_ha_is_exported_and_a_point_of_5_ha_is_refused_with_its_reason(coop):
    factories.PlotFactory(producer__cooperative=coop, code="P-4", geometry=point(), declared_area_ha=Decimal("4.0000"))
    factories.PlotFactory(producer__cooperative=coop, code="P-5", geometry=point(), declared_area_ha=Decimal("5.0000"))

    (collection,), job, _texts = export(eudr.plots_for_cooperative(coop))

    assert_valid_eudr_file(collection)
    assert places([collection]) == ["P-4 Chacra La Loma"]
    assert collection["features"][0]["properties"]["Area"] == 4.0
    assert collection["features"][0]["geometry"] == point()
    assert [(e.code, e.reasons, e.eu_codes) for e in job.errors] == [
        (
            "P-5",
            ["A plot of 5 ha is more than 4 ha: it must be mapped as a polygon, not a point (EUDR)."],
            [geo.EU_AREA],
        )
    ]


def test_coordinates_are_cut_to_6_decimals(coop):
    ring = [[-76.12345678, -6.5], [-76.11, -6.50000091], [-76.11, -6.49], [-76.12345678, -6.49], [-76.12345678, -6.5]]
    factories.PlotFactory(producer__cooperative=coop, geometry={"type": "Polygon", "coordinates": [ring]})

    (collection,), job, texts = export(eudr.plots_for_cooperative(coop))

    assert collection["features"][0]["geometry"]["coordinates"] == [
        [[-76.123456, -6.5], [-76.11, -6.5], [-76.11, -6.49], [-76.123456, -6.49], [-76.123456, -6.5]]
    ]
    assert b"-76.123456," in texts[0]
    assert b"-76.1234567" not in texts[0]
    assert job.errors == []


def test_a_polygon_that_becomes_invalid_after_cutting_is_reported_and_not_exported(coop):
    # Corners 0.0000004° apart: cut to 6 decimals, they all become one point.
    tiny = factories.square(-76.1000005, -6.5000005, side_deg=0.0000004)
    factories.PlotFactory(producer__cooperative=coop, code="P-tiny", geometry=tiny)
    factories.PlotFactory(producer__cooperative=coop, code="P-fine")

    (collection,), job, _texts = export(eudr.plots_for_cooperative(coop))

    assert places([collection]) == ["P-fine Chacra La Loma"]
    (error,) = job.errors
    assert error.code == "P-tiny"
    assert error.eu_codes == [geo.EU_POLYGON]
    assert error.reasons[0].startswith("After cutting coordinates to 6 decimals, two neighbouring corners become one")


def test_a_polygon_with_a_hole_and_a_plot_without_geometry_are_refused(coop):
    outer = factories.square(-76.14, -6.58, side_deg=0.01)["coordinates"][0]
    hole = [[-76.138, -6.578], [-76.138, -6.577], [-76.137, -6.577], [-76.138, -6.578]]
    factories.PlotFactory(
        producer__cooperative=coop, code="P-hole", geometry={"type": "Polygon", "coordinates": [outer, hole]}
    )
    factories.PlotFactory(producer__cooperative=coop, code="P-none", geometry=None)

    collections, job, _texts = export(eudr.plots_for_cooperative(coop))

    assert collections == []
    assert [(e.code, e.reasons, e.eu_codes) for e in job.errors] == [
        ("P-hole", ["This polygon has 1 hole; the EU system does not process holes."], [geo.EU_POLYGON]),
        ("P-none", ["This plot has no geometry (not mapped)."], [eudr.EU_EMPTY]),
    ]


def test_pseudonyms_are_stable_across_files_and_are_not_the_name(coop, families):
    rosa, _luis, plots = families
    lot = factories.LotFactory(cooperative=coop)
    factories.LotAllocationFactory(lot=lot, delivery=factories.DeliveryFactory(producer=rosa, plots=[plots[1]]))

    (whole,), _job, texts = export(eudr.plots_for_cooperative(coop), pseudonymise=True)
    (of_lot,), _job, _texts = export(eudr.plots_for_lot(lot), pseudonymise=True)

    names = [f["properties"]["ProducerName"] for f in whole["features"]]
    assert names[0] == names[1] == of_lot["features"][0]["properties"]["ProducerName"]
    assert names[0] != names[2]
    assert names[0] == eudr.pseudonym(coop.code, rosa.code)
    assert names[0].startswith(f"{coop.code}-")
    for secret in (b"Rosa", b"Tapullima", b"Luis", b"Sangama", rosa.code.encode(), rosa.dni.encode()):
        assert secret not in texts[0]


def test_it_splits_at_the_producer_limit_and_covers_every_plot_once(coop):
    expected = []
    for family in range(5):
        producer = factories.ProducerFactory(cooperative=coop)
        for number in range(2):
            expected.append(factories.PlotFactory(producer=producer, code=f"P-{family}-{number}").code)

    collections, job, _texts = export(eudr.plots_for_cooperative(coop), max_producers=2)

    assert len(collections) == 3
    for collection in collections:
        assert_valid_eudr_file(collection)
        assert len({f["properties"]["ProducerName"] for f in collection["features"]}) <= 2
    assert sorted(p.split()[0] for p in places(collections)) == sorted(expected)
    assert (job.written, job.file_count) == (10, 3)


def test_it_splits_at_the_size_limit_and_every_file_stays_within_it(coop, families):
    collections, job, texts = export(eudr.plots_for_cooperative(coop), max_bytes=400)

    assert len(texts) == 3
    assert all(len(text) <= 400 for text in texts)
    for collection in collections:
        assert_valid_eudr_file(collection)
    assert places(collections) == ["P-1 La Loma", "P-2 El Bajo", "P-3"]
    assert job.errors == []


def test_plots_each_larger_than_the_size_limit_are_reported_and_make_no_file(coop, families):
    collections, job, _texts = export(eudr.plots_for_cooperative(coop), max_bytes=100)

    assert (collections, job.written, job.file_count) == ([], 0, 0)
    assert [(e.code, e.reasons, e.eu_codes) for e in job.errors] == [
        (p, ["This plot's geometry alone is larger than the file size limit."], [eudr.EU_SIZE])
        for p in ("P-1 La Loma", "P-2 El Bajo", "P-3")
    ]


def test_a_plot_larger_than_the_size_limit_between_others_is_left_out_of_their_file(coop, families):
    _rosa, _luis, plots = families
    ring = [[-76.1 + i * 0.00001, -6.6 + (i % 2) * 0.00001] for i in range(40)]
    plots[1].geometry = {"type": "Polygon", "coordinates": [[*ring, [-76.1, -6.59], ring[0]]]}
    plots[1].save(update_fields=["geometry"])
    small = max(len(text) for text in export(eudr.plots_for_cooperative(coop).exclude(pk=plots[1].pk))[2])

    collections, job, _texts = export(eudr.plots_for_cooperative(coop), max_bytes=small)

    assert places(collections) == ["P-1 La Loma", "P-3"]
    assert (job.written, job.file_count) == (2, 1)
    assert [(e.code, e.eu_codes) for e in job.errors] == [("P-2 El Bajo", [eudr.EU_SIZE])]


def test_the_command_writes_no_file_when_no_plot_fits_in_one(coop, families, tmp_path, capsys):
    with pytest.raises(CommandError) as error:
        call_command(
            "export_eudr", "--cooperative", coop.code, "--output", str(tmp_path / "coop.geojson"), "--max-bytes", "100"
        )

    assert str(error.value) == "No plot could be exported."
    assert list(tmp_path.iterdir()) == []
    assert "0 plots written in 0 file(s); 3 left out." in capsys.readouterr().out


@pytest.fixture
def shipment(coop, families):
    """Two lots in one shipment; P-2 delivered twice; P-3 delivered but never allocated."""
    rosa, luis, plots = families
    first, second = factories.LotFactory(cooperative=coop), factories.LotFactory(cooperative=coop)
    shipment = factories.ShipmentFactory(cooperative=coop, contract__buyer__cooperative=coop)
    factories.ShipmentLotFactory(shipment=shipment, lot=first)
    factories.ShipmentLotFactory(shipment=shipment, lot=second)
    for lot, plot in [(first, plots[0]), (first, plots[1]), (second, plots[1])]:
        factories.LotAllocationFactory(lot=lot, delivery=factories.DeliveryFactory(producer=rosa, plots=[plot]))
    factories.DeliveryFactory(producer=luis, plots=[plots[2]])
    return shipment, first, second


def test_a_lot_exports_the_plots_of_its_deliveries_each_once(shipment):
    _shipment, first, second = shipment

    assert places(export(eudr.plots_for_lot(first))[0]) == ["P-1 La Loma", "P-2 El Bajo"]
    assert places(export(eudr.plots_for_lot(second))[0]) == ["P-2 El Bajo"]


def test_a_shipment_exports_the_plots_of_its_lots_each_once(shipment):
    other = factories.ShipmentLotFactory()  # another cooperative's shipment with its own lot
    factories.LotAllocationFactory(lot=other.lot)

    assert places(export(eudr.plots_for_shipment(shipment[0]))[0]) == ["P-1 La Loma", "P-2 El Bajo"]


def test_the_command_writes_one_file_and_lists_the_plots_left_out(coop, families, tmp_path, capsys):
    factories.PlotFactory(producer=families[0], code="P-big", geometry=point(), declared_area_ha=Decimal("5"))
    output = tmp_path / "coop.geojson"

    call_command("export_eudr", "--cooperative", coop.code, "--output", str(output))

    assert_valid_eudr_file(json.loads(output.read_bytes()))
    assert sorted(path.name for path in tmp_path.iterdir()) == ["coop.geojson"]
    out = capsys.readouterr().out
    assert "3 plots written in 1 file(s); 1 left out." in out
    assert "Left out P-big: A plot of 5 ha is more than 4 ha" in out


def test_the_command_splits_into_numbered_files(shipment, tmp_path, capsys):
    output = tmp_path / "exp.geojson"

    call_command("export_eudr", "--shipment", str(shipment[0].pk), "--output", str(output), "--max-producers", "1")
    call_command("export_eudr", "--lot", shipment[1].code, "--output", str(tmp_path / "lot"), "--max-bytes", "400")

    assert sorted(path.name for path in tmp_path.iterdir()) == ["exp.geojson", "lot-1.geojson", "lot-2.geojson"]
    for path in tmp_path.iterdir():
        assert_valid_eudr_file(json.loads(path.read_bytes()))
    assert places(json.loads(p.read_bytes()) for p in sorted(tmp_path.glob("lot-*"))) == ["P-1 La Loma", "P-2 El Bajo"]


def test_the_command_pseudonymises_every_family_name(coop, families, tmp_path, capsys):
    rosa, luis, _plots = families
    output = tmp_path / "coop.geojson"

    call_command("export_eudr", "--cooperative", coop.code, "--output", str(output), "--pseudonymise")

    text = output.read_bytes()
    collection = json.loads(text)
    assert_valid_eudr_file(collection)
    assert [f["properties"]["ProducerName"] for f in collection["features"]] == [
        eudr.pseudonym(coop.code, rosa.code),
        eudr.pseudonym(coop.code, rosa.code),
        eudr.pseudonym(coop.code, luis.code),
    ]
    for secret in ("Rosa", "Tapullima", "Luis", "Sangama", rosa.code, luis.code, rosa.dni, luis.dni):
        assert secret.encode() not in text
    assert "3 plots written in 1 file(s); 0 left out." in capsys.readouterr().out


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--cooperative", "nowhere"], "No cooperative has the code 'nowhere'."),
        (["--shipment", "999999"], "No shipment has the id or number '999999'."),
        (["--lot", "L-none"], "No lot has the id or code 'L-none'."),
        ([], "Say what to export: --cooperative, --shipment or --lot."),
    ],
)
def test_the_command_refuses_what_does_not_exist(db, tmp_path, arguments, message):
    with pytest.raises(CommandError) as error:
        call_command("export_eudr", *arguments, "--output", str(tmp_path / "x.geojson"))

    assert str(error.value) == message
    assert list(tmp_path.iterdir()) == []


def test_the_command_refuses_another_cooperatives_lot(shipment, other_coop, tmp_path):
    with pytest.raises(CommandError) as error:
        call_command(
            "export_eudr", "--cooperative", other_coop.code, "--lot", shipment[1].code, "--output", str(tmp_path / "x")
        )

    assert str(error.value) == f"No lot has the id or code '{shipment[1].code}'."


def test_the_command_asks_for_the_cooperative_when_two_have_the_lot_code(shipment, other_coop, tmp_path, capsys):
    factories.LotFactory(cooperative=other_coop, code=shipment[1].code)
    output = tmp_path / "lot.geojson"

    with pytest.raises(CommandError) as error:
        call_command("export_eudr", "--lot", shipment[1].code, "--output", str(output))
    call_command(
        "export_eudr", "--lot", shipment[1].code, "--cooperative", shipment[1].cooperative.code, "--output", str(output)
    )

    assert str(error.value) == f"Several cooperatives have a lot '{shipment[1].code}': add --cooperative."
    assert places([json.loads(output.read_bytes())]) == ["P-1 La Loma", "P-2 El Bajo"]
