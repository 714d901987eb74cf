"""Importing plot geometries from files of many plots (GeoJSON, KML, GPX): plots/geoimport.py.

The files and what is known about them are described in tests/fixtures/README.md.
"""

import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from cooperatives.spreadsheets import ImportFileError
from exports import eudr
from plots import geoimport
from plots import geometry as geo
from plots.geoimport import plot_geometries_import
from plots.models import Plot
from tests import factories

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
EU_TYPE1 = FIXTURES / "eudr/eu_example_type1.geojson"
EU_TYPE2 = FIXTURES / "eudr/eu_example_type2.geojson"
CICC = FIXTURES / "whisp/CICC_plots_subset_simple.geojson"
WHISP = FIXTURES / "whisp/geojson_example.geojson"
QGIS_KML = FIXTURES / "minka/parcelas_aguas_verdes_qgis.kml"

# Corners of 3 decimals, written out: factories.square's sums carry float noise (-76.13699999999999).
SQUARE = {
    "type": "Polygon",
    "coordinates": [[[-76.138, -6.574], [-76.137, -6.574], [-76.137, -6.573], [-76.138, -6.573], [-76.138, -6.574]]],
}
ANOTHER_SQUARE = {
    "type": "Polygon",
    "coordinates": [[[-76.131, -6.571], [-76.13, -6.571], [-76.13, -6.57], [-76.131, -6.57], [-76.131, -6.571]]],
}
BOW_TIE = {
    "type": "Polygon",
    "coordinates": [[[-76.138, -6.574], [-76.137, -6.573], [-76.137, -6.574], [-76.138, -6.573], [-76.138, -6.574]]],
}


def collection(*features, **members):
    return json.dumps({"type": "FeatureCollection", **members, "features": list(features)}).encode()


def feature(code, geometry, **properties):
    return {"type": "Feature", "properties": {"code": code, **properties}, "geometry": geometry}


def lines(report):
    return [str(line) for line in report.features]


def geometries(cooperative):
    return dict(Plot.objects.for_cooperative(cooperative).values_list("code", "geometry"))


@pytest.fixture
def family(coop):
    return factories.ProducerFactory(cooperative=coop, dni="41234567")


def plots(family, *codes, **fields):
    return [factories.PlotFactory(producer=family, code=code, **fields) for code in codes]


@pytest.mark.django_db
class TestEuFiles:
    def test_it_maps_the_eus_type_1_farms_by_their_production_place(self, coop, family):
        taboao_1, taboao_2 = plots(family, "FAZENDA TABOAO I", "FAZENDA TABOAO II", geometry=None)
        taboao_1.declared_area_ha, taboao_2.declared_area_ha = Decimal("23.72"), Decimal("2.39")
        Plot.objects.bulk_update([taboao_1, taboao_2], ["declared_area_ha"])
        source = json.loads(EU_TYPE1.read_text())

        report = plot_geometries_import(cooperative=coop, content=EU_TYPE1.read_bytes(), filename=EU_TYPE1.name)

        assert lines(report) == [
            "Feature 1, plot FAZENDA TABOAO I: updated, measured area 23.6121 ha. "
            "Properties not read: Area, ProducerCountry.",
            "Feature 2, plot FAZENDA TABOAO II: updated, measured area 2.3801 ha. "
            "Properties not read: Area, ProducerCountry.",
        ]
        assert (report.format, report.updated, report.written) == ("GeoJSON", 2, True)
        taboao_1.refresh_from_db()
        taboao_2.refresh_from_db()
        assert taboao_1.geometry == source["features"][0]["geometry"]
        assert taboao_2.geometry == source["features"][1]["geometry"]
        assert (taboao_1.measured_area_ha, taboao_2.measured_area_ha) == (Decimal("23.6121"), Decimal("2.3801"))

    def test_it_measures_the_type_2_farms_with_a_clockwise_ring_as_a_positive_area(self, coop, family):
        plots(family, "Cocoa Farm 01", "Cocoa Farm 02", "Cocoa Farm 03", "Cocoa Farm 04", declared_area_ha=20000)

        report = plot_geometries_import(cooperative=coop, content=EU_TYPE2.read_bytes())

        assert (report.updated, report.errors) == (4, [])
        assert dict(Plot.objects.for_cooperative(coop).values_list("code", "measured_area_ha")) == {
            "Cocoa Farm 01": Decimal("20687.1427"),
            "Cocoa Farm 02": Decimal("20545.4001"),
            "Cocoa Farm 03": Decimal("9488.8906"),
            "Cocoa Farm 04": Decimal("6904.3615"),
        }
        # The declared 20,000 ha lies more than the cooperative's 10% from 9,489 and 6,904 ha measured.
        assert lines(report)[2] == (
            "Feature 3, plot Cocoa Farm 03: updated, measured area 9488.8906 ha. The declared area, 20000 ha, "
            "differs from the measured one by 110.8% (the cooperative's tolerance is 10%). "
            "Properties not read: Area, ProducerCountry."
        )

    def test_importing_the_same_file_again_changes_nothing_and_adds_no_history(self, coop, family):
        plots(family, "FAZENDA TABOAO I", "FAZENDA TABOAO II", declared_area_ha=Decimal("2.39"))
        plot_geometries_import(cooperative=coop, content=EU_TYPE1.read_bytes())
        versions = Plot.history.count()

        report = plot_geometries_import(cooperative=coop, content=EU_TYPE1.read_bytes())

        assert (report.unchanged, report.updated, report.written) == (2, 0, False)
        assert lines(report)[1].startswith("Feature 2, plot FAZENDA TABOAO II: unchanged, measured area 2.3801 ha.")
        assert Plot.history.count() == versions

    def test_each_change_is_kept_in_the_plots_history_with_the_file_and_the_user(self, coop, family, manager):
        (plot,) = plots(family, "FAZENDA TABOAO II", declared_area_ha=Decimal("2.39"))
        old = plot.geometry
        content = json.dumps(json.loads(EU_TYPE1.read_text())["features"][1]).encode()

        plot_geometries_import(cooperative=coop, content=content, filename="taboao.geojson", user=manager)

        latest, before = plot.history.all()[:2]
        assert (latest.history_change_reason, latest.history_user, latest.history_type) == (
            "Geometry imported from taboao.geojson",
            manager,
            "~",
        )
        assert (before.geometry, latest.measured_area_ha) == (old, Decimal("2.3801"))

    def test_each_plots_history_keeps_the_plot_as_written_in_the_files_order(self, coop, family):
        first, second = plots(family, "P-1", "P-2", declared_area_ha=Decimal("1.2"), variety="CCN-51")
        content = collection(feature("P-2", ANOTHER_SQUARE), feature("P-1", SQUARE))

        plot_geometries_import(cooperative=coop, content=content, filename="both.geojson")

        latest = Plot.history.filter(history_type="~").order_by("history_id")
        assert [version.code for version in latest] == ["P-2", "P-1"]
        fields = [f.attname for f in Plot._meta.concrete_fields]
        for plot in (first, second):
            plot.refresh_from_db()
            version = latest.get(id=plot.pk)
            assert {name: getattr(version, name) for name in fields} == {name: getattr(plot, name) for name in fields}
            assert (version.history_change_reason, version.history_user) == (
                "Geometry imported from both.geojson",
                None,
            )

    def test_a_dry_run_reports_every_feature_and_writes_nothing(self, coop, family):
        plots(family, "FAZENDA TABOAO I", "FAZENDA TABOAO II", declared_area_ha=Decimal("2.39"))
        before = geometries(coop)

        report = plot_geometries_import(cooperative=coop, content=EU_TYPE1.read_bytes(), dry_run=True)

        assert (report.updated, report.written, geometries(coop)) == (2, False, before)


@pytest.mark.django_db
class TestOurEudrExport:
    """exports.eudr writes ProductionPlace as the plot's code and name ("P-1 La Loma"): the file must come back."""

    def test_a_cooperatives_eudr_export_imports_into_plots_of_the_same_codes(self, coop, other_coop):
        rosa = factories.ProducerFactory(cooperative=coop, first_name="Rosa", last_name="Tapullima")
        noisy = factories.square(-76.1234567891, -6.5432109876)  # more decimals than the EU's 6
        exported = [
            factories.PlotFactory(producer=rosa, code="P-1", name="La Loma", geometry=SQUARE),
            factories.PlotFactory(producer=rosa, code="P-2", name="El Bajo", geometry=noisy),
            factories.PlotFactory(producer=rosa, code="P-3", name=""),
            factories.PlotFactory(producer=rosa, code="FAZENDA TABOAO I", name="Norte"),
            factories.PlotFactory(
                producer=rosa,
                code="P-4",
                name="Punto",
                geometry={"type": "Point", "coordinates": [-76.1378123, -6.5736456]},
                declared_area_ha=Decimal("2.5000"),
            ),
        ]
        job = eudr.EudrExport(eudr.plots_for_cooperative(coop))
        (content,) = [b"".join(chunks) for chunks in job.files()]
        assert (job.written, job.errors) == (5, [])
        assert [f["properties"]["ProductionPlace"] for f in json.loads(content)["features"]] == [
            "FAZENDA TABOAO I Norte",
            "P-1 La Loma",
            "P-2 El Bajo",
            "P-3",
            "P-4 Punto",
        ]
        # The same codes in another cooperative, not mapped yet.
        fresh = factories.ProducerFactory(cooperative=other_coop)
        for plot in exported:
            factories.PlotFactory(producer=fresh, code=plot.code, geometry=None, declared_area_ha=plot.declared_area_ha)

        report = plot_geometries_import(cooperative=other_coop, content=content, filename="eudr.geojson")

        assert (report.errors, report.updated, report.written) == ([], 5, True)
        assert lines(report)[1] == (
            'Feature 2, plot P-1: updated, measured area 1.223 ha. The production place "P-1 La Loma" starts with '
            "the plot code. Properties not read: ProducerName, ProducerCountry, Area."
        )
        imported = geometries(other_coop)
        for plot in exported:
            # Equal to 6 decimals: the EU's cut of the mapped geometry, no corner moved further than that.
            assert imported[plot.code] == geo.truncate(plot.geometry)
            assert all(
                abs(a - b) < 1e-6 for a, b in zip(_numbers(imported[plot.code]), _numbers(plot.geometry), strict=True)
            )

    def test_importing_its_own_export_into_the_same_plots_changes_nothing(self, coop, family):
        plots(family, "P-1", name="La Loma", geometry=SQUARE)
        plots(family, "P-2", name="El Bajo", geometry=ANOTHER_SQUARE)
        before = geometries(coop)
        (content,) = [b"".join(chunks) for chunks in eudr.EudrExport(eudr.plots_for_cooperative(coop)).files()]

        report = plot_geometries_import(cooperative=coop, content=content)

        assert (report.errors, report.unchanged, report.written, geometries(coop)) == ([], 2, False, before)

    def test_a_plot_whose_code_is_the_whole_production_place_is_that_plot(self, coop, family):
        plots(family, "P-1 La Loma", "P-1", geometry=None)
        content = collection({"type": "Feature", "properties": {"ProductionPlace": "P-1 La Loma"}, "geometry": SQUARE})

        report = plot_geometries_import(cooperative=coop, content=content)

        assert lines(report) == ["Feature 1, plot P-1 La Loma: updated, measured area 1.223 ha."]
        assert geometries(coop) == {"P-1 La Loma": SQUARE, "P-1": None}

    def test_a_production_place_that_starts_with_no_code_is_still_refused(self, coop, family):
        plots(family, "P-1")
        before = geometries(coop)
        content = collection({"type": "Feature", "properties": {"ProductionPlace": "P-9 La Loma"}, "geometry": SQUARE})

        report = plot_geometries_import(cooperative=coop, content=content)

        assert lines(report) == [
            "Feature 1, plot P-9 La Loma: rejected. No plot of this cooperative has the code P-9 La Loma."
        ]
        assert (report.written, geometries(coop)) == (False, before)

    def test_two_production_places_that_start_with_the_same_code_are_both_refused(self, coop, family):
        plots(family, "P-1")
        before = geometries(coop)
        content = collection(
            {"type": "Feature", "properties": {"ProductionPlace": "P-1 La Loma"}, "geometry": SQUARE},
            {"type": "Feature", "properties": {"ProductionPlace": "P-1"}, "geometry": ANOTHER_SQUARE},
        )

        report = plot_geometries_import(cooperative=coop, content=content)

        assert (report.rejected, report.written, geometries(coop)) == (2, False, before)
        assert lines(report)[0].startswith(
            "Feature 1, plot P-1: rejected. The plot code P-1 is given 2 times (feature 1, feature 2)"
        )


def _numbers(geometry):
    def walk(value):
        if isinstance(value, list):
            for item in value:
                yield from walk(item)
        else:
            yield value

    return list(walk(geometry["coordinates"]))


@pytest.mark.django_db
class TestWhispFiles:
    def test_a_cicc_file_nested_like_multipolygons_with_a_crs_is_repaired_and_says_so(self, coop, family):
        source = json.loads(CICC.read_text())
        for f in source["features"]:
            factories.PlotFactory(
                producer=family, code=str(f["properties"]["UID"]), declared_area_ha=f["properties"]["Area_ha"]
            )

        report = plot_geometries_import(cooperative=coop, content=CICC.read_bytes(), code_property="UID")

        assert (report.updated, report.errors, report.written) == (18, [], True)
        assert lines(report)[0] == (
            "Feature 1, plot 108: updated, measured area 0.4043 ha. "
            "Declared Polygon but nested like a MultiPolygon: read as MultiPolygon. "
            "The file's crs member, urn:ogc:def:crs:OGC:1.3:CRS84, is WGS84 longitude and latitude, as GeoJSON "
            "has them. Properties not read: Date_debut, Date_fin, SUP, Area_ha."
        )
        stored = dict(Plot.objects.for_cooperative(coop).values_list("code", "measured_area_ha"))
        stated = {
            str(f["properties"]["UID"]): Decimal(str(f["properties"]["Area_ha"])).quantize(Decimal("0.0001"))
            for f in source["features"]
        }
        # The file's own Area_ha is the area the plot rules measure, to 4 decimals, except where two corners
        # of 14 decimals were rounded to 6: 2 m² less.
        assert stored == {**stated, "502": Decimal("0.4393"), "996": Decimal("1.2593")}
        assert (stated["502"], stated["996"]) == (Decimal("0.4395"), Decimal("1.2595"))
        assert Plot.objects.get(code="108").geometry["type"] == "MultiPolygon"

    def test_fifty_whisp_plots_are_refused_together_because_one_has_a_hole(self, coop, family):
        plots(family, *[str(n) for n in range(1, 51)])
        before = geometries(coop)

        report = plot_geometries_import(cooperative=coop, content=WHISP.read_bytes(), code_property="user_id")

        assert [str(line) for line in report.errors] == [
            "Feature 14, plot 14: rejected. This polygon has 1 hole; the EU system does not process holes."
        ]
        assert (report.updated, report.written, geometries(coop)) == (49, False, before)
        assert lines(report)[0] == (
            "Feature 1, plot 1: updated, measured area 1409.7283 ha. Coordinates rounded to 6 decimals (no corner "
            "moves 6 cm), as the EU system reads them. The file's crs member, urn:ogc:def:crs:OGC:1.3:CRS84, is "
            "WGS84 longitude and latitude, as GeoJSON has them. The declared area, 1.2 ha, differs from the "
            "measured one by 99.9% (the cooperative's tolerance is 10%)."
        )

    def test_skip_rejected_writes_the_forty_nine_good_plots_and_leaves_the_one_with_a_hole(self, coop, family):
        plots(family, *[str(n) for n in range(1, 51)])
        before = geometries(coop)

        report = plot_geometries_import(
            cooperative=coop, content=WHISP.read_bytes(), code_property="user_id", skip_rejected=True
        )

        after = geometries(coop)
        assert (report.updated, len(report.errors), report.written) == (49, 1, True)
        assert after["14"] == before["14"]
        assert sum(after[code] != before[code] for code in after) == 49
        # 16.352435829772901, 3.17469963440538 rounded to the 6 decimals the EU reads.
        assert after["1"]["coordinates"][0][0][0] == [16.352436, 3.1747]

    def test_without_a_code_property_it_names_the_properties_the_features_have(self, coop, family):
        report = plot_geometries_import(cooperative=coop, content=WHISP.read_bytes())

        assert str(report.errors[0]) == (
            "Feature 1: rejected. It gives no plot code in a property code, codigo, plot_code, ProductionPlace "
            "or name; its properties are user_id."
        )
        assert len(report.errors) == 50


@pytest.mark.django_db
class TestKmlAndGpx:
    def test_a_google_earth_placemark_updates_the_plot_of_its_name_without_heights(self, coop, family):
        (plot,) = plots(family, "Chacra La Loma", declared_area_ha=Decimal("1.9"))

        report = plot_geometries_import(cooperative=coop, content=(FIXTURES / "minka/chacra_la_loma.kml").read_bytes())

        assert lines(report) == [
            "Placemark 1, plot Chacra La Loma: updated, measured area 1.9366 ha. "
            "Heights dropped (3-D positions made 2-D)."
        ]
        plot.refresh_from_db()
        assert (plot.geometry["coordinates"][0][0], plot.measured_area_ha) == ([-76.13812, -6.57395], Decimal("1.9366"))

    def test_a_walked_gpx_track_is_closed_into_the_plots_boundary(self, coop, family):
        (plot,) = plots(family, "Chacra La Loma", declared_area_ha=Decimal("1.9"))

        report = plot_geometries_import(
            cooperative=coop, content=(FIXTURES / "minka/chacra_la_loma_walk.gpx").read_bytes()
        )

        assert lines(report) == [
            "Track 1, plot Chacra La Loma: updated, measured area 1.9558 ha. "
            "The line Chacra La Loma ended 7 m from its start; it was closed into a boundary."
        ]
        plot.refresh_from_db()
        assert (plot.geometry["type"], len(plot.geometry["coordinates"][0])) == ("Polygon", 14)

    def test_a_garmin_log_names_its_open_loop_and_its_waypoints_and_writes_nothing(self, coop, family):
        plots(family, "ACTIVE LOG #2", "FAGGIO")
        before = geometries(coop)

        report = plot_geometries_import(
            cooperative=coop, content=(FIXTURES / "gpxpy/cerknicko-jezero_first_tracks.gpx").read_bytes()
        )

        assert [str(line) for line in report.errors] == [
            "Track 2, plot ACTIVE LOG #2: rejected. It is a line that ends 42 m from where it starts; a boundary "
            "must end within 25 m.",
            "Point 1, plot 001: rejected. No plot of this cooperative has the code 001.",
            "Point 2, plot BACK T TH: rejected. No plot of this cooperative has the code BACK T TH.",
            "Point 3, plot BIRDS NEST: rejected. No plot of this cooperative has the code BIRDS NEST.",
            "Point 5, plot RAKOV12: rejected. No plot of this cooperative has the code RAKOV12.",
            "Point 6, plot RAKV SKCJN: rejected. No plot of this cooperative has the code RAKV SKCJN.",
            "Point 7, plot VANSHNG LK: rejected. No plot of this cooperative has the code VANSHNG LK.",
        ]
        # FAGGIO's waypoint is a valid point for a plot of 1.2 ha, but the file goes in whole or not at all.
        assert lines(report)[4] == (
            "Point 4, plot FAGGIO: updated. Coordinates rounded to 6 decimals (no corner moves 6 cm), as the EU "
            "system reads them."
        )
        assert (report.written, geometries(coop)) == (False, before)

    def test_a_qgis_kml_gives_the_code_in_its_extended_data_and_creates_a_missing_plot(self, coop, family):
        factories.ProducerFactory(cooperative=coop, dni="41234568")
        plots(family, "AV-001-1", "AV-001-2", declared_area_ha=Decimal("1.6"))

        report = plot_geometries_import(cooperative=coop, content=QGIS_KML.read_bytes(), create_missing=True)

        assert lines(report) == [
            "Placemark 1, plot AV-001-1: updated, measured area 1.6139 ha. Properties not read: name, dni, area_ha.",
            "Placemark 2, plot AV-001-2: updated, measured area 0.8254 ha. The declared area, 1.6 ha, differs "
            "from the measured one by 93.8% (the cooperative's tolerance is 10%). "
            "Properties not read: name, dni, area_ha.",
            "Placemark 3, plot AV-002-1: created. Created for the family with DNI 41234568.",
        ]
        new = Plot.objects.get(cooperative=coop, code="AV-002-1")
        assert (new.producer.dni, new.name, new.declared_area_ha, new.geometry, new.district) == (
            "41234568",
            "Shimbillo",
            Decimal("0.8000"),
            {"type": "Point", "coordinates": [-76.125511, -6.568804]},
            new.producer.district,
        )
        assert new.history.get().history_change_reason == "Geometry imported from the file"

    def test_without_create_missing_an_unknown_code_is_refused(self, coop, family):
        factories.ProducerFactory(cooperative=coop, dni="41234568")
        plots(family, "AV-001-1", "AV-001-2")

        report = plot_geometries_import(cooperative=coop, content=QGIS_KML.read_bytes())

        assert [str(line) for line in report.errors] == [
            "Placemark 3, plot AV-002-1: rejected. No plot of this cooperative has the code AV-002-1."
        ]
        assert (report.written, Plot.objects.filter(code="AV-002-1").exists()) == (False, False)

    def test_a_missing_plot_of_a_family_of_another_cooperative_is_not_created(self, coop, other_coop, family):
        factories.ProducerFactory(cooperative=other_coop, dni="41234568")
        plots(family, "AV-001-1", "AV-001-2")

        report = plot_geometries_import(cooperative=coop, content=QGIS_KML.read_bytes(), create_missing=True)

        assert [str(line) for line in report.errors] == [
            "Placemark 3, plot AV-002-1: rejected. No plot of this cooperative has the code AV-002-1, and no "
            "family of it has the DNI 41234568."
        ]
        assert Plot.objects.filter(code="AV-002-1").count() == 0

    def test_a_new_plot_needs_its_familys_dni(self, coop, family):
        content = collection(feature("AV-009-1", SQUARE))

        report = plot_geometries_import(cooperative=coop, content=content, create_missing=True)

        assert lines(report) == [
            "Feature 1, plot AV-009-1: rejected. No plot of this cooperative has the code AV-009-1; to create it, "
            "give its family's DNI in a property ProducerDni."
        ]

    def test_a_new_polygon_without_an_area_declares_the_measured_one(self, coop, family):
        content = collection(feature("AV-009-1", SQUARE, ProducerDni="41234567", distrito="Chazuta"))

        report = plot_geometries_import(cooperative=coop, content=content, create_missing=True)

        assert lines(report) == [
            "Feature 1, plot AV-009-1: created, measured area 1.223 ha. Created for the family with DNI 41234567. "
            "The declared area is the measured one: the file gives no Area."
        ]
        plot = Plot.objects.get(code="AV-009-1")
        assert (plot.producer, plot.declared_area_ha, plot.district.inei) == (family, Decimal("1.223"), "220904")


@pytest.mark.django_db
class TestBadFeatures:
    """Each bad feature is named with its reason, and nothing at all is written."""

    def refused(self, coop, family, geometry, **fields):
        """The report's lines for a file of one good plot and one plot with `geometry`; asserts nothing changed."""
        plots(family, "P-GOOD")
        plots(family, "P-BAD", **fields)
        before, versions = geometries(coop), Plot.history.count()
        content = collection(feature("P-GOOD", ANOTHER_SQUARE), feature("P-BAD", geometry))

        report = plot_geometries_import(cooperative=coop, content=content, filename="parcelas.geojson")

        assert (report.written, geometries(coop), Plot.history.count()) == (False, before, versions)
        assert lines(report)[0] == "Feature 1, plot P-GOOD: updated, measured area 1.223 ha."
        return [str(line) for line in report.errors]

    def test_it_rejects_a_polygon_that_crosses_itself(self, coop, family):
        assert self.refused(coop, family, BOW_TIE) == [
            "Feature 2, plot P-BAD: rejected. This polygon's sides cross or touch each other near longitude "
            "-76.1375, latitude -6.5735."
        ]

    def test_it_rejects_an_open_ring(self, coop, family):
        open_ring = {"type": "Polygon", "coordinates": [SQUARE["coordinates"][0][:-1]]}

        assert self.refused(coop, family, open_ring) == [
            "Feature 2, plot P-BAD: rejected. A polygon ring must end where it starts (it is not closed)."
        ]

    def test_it_rejects_a_ring_of_three_positions(self, coop, family):
        corners = SQUARE["coordinates"][0]
        triangle = {"type": "Polygon", "coordinates": [[corners[0], corners[1], corners[0]]]}

        assert self.refused(coop, family, triangle) == [
            "Feature 2, plot P-BAD: rejected. A polygon ring needs at least 4 positions; this one has 3."
        ]

    def test_it_rejects_a_linestring(self, coop, family):
        line = {"type": "LineString", "coordinates": SQUARE["coordinates"][0]}

        assert self.refused(coop, family, line) == [
            "Feature 2, plot P-BAD: rejected. It is a LineString, and the EU system refuses lines: give the plot "
            "as a Polygon or a Point."
        ]

    def test_it_rejects_a_latitude_and_longitude_swapped(self, coop, family):
        assert self.refused(coop, family, {"type": "Point", "coordinates": [-6.5736, -96.1378]}) == [
            "Feature 2, plot P-BAD: rejected. Latitude -96.1378 lies outside -90 to 90 (is it swapped with the "
            "longitude?)."
        ]

    def test_it_rejects_a_point_for_a_plot_over_4_ha(self, coop, family):
        point = {"type": "Point", "coordinates": [-76.1378, -6.5736]}

        assert self.refused(coop, family, point, declared_area_ha=Decimal("5.5")) == [
            "Feature 2, plot P-BAD: rejected. A plot of more than 4 ha must be mapped as a polygon, not a point (EUDR)."
        ]

    def test_it_rejects_a_feature_without_a_shape(self, coop, family):
        assert self.refused(coop, family, None) == ["Feature 2, plot P-BAD: rejected. It has no shape."]

    def test_it_rejects_an_unknown_code(self, coop, family):
        plots(family, "P-GOOD")
        content = collection(feature("P-GOOD", ANOTHER_SQUARE), feature("P-404", SQUARE))

        report = plot_geometries_import(cooperative=coop, content=content)

        assert [str(line) for line in report.errors] == [
            "Feature 2, plot P-404: rejected. No plot of this cooperative has the code P-404."
        ]
        assert Plot.objects.get(code="P-GOOD").geometry != ANOTHER_SQUARE

    def test_it_rejects_a_code_given_twice(self, coop, family):
        plots(family, "P-1")
        content = collection(feature("P-1", SQUARE), feature("P-1", ANOTHER_SQUARE))

        report = plot_geometries_import(cooperative=coop, content=content)

        assert [str(line) for line in report.errors] == [
            "Feature 1, plot P-1: rejected. The plot code P-1 is given 2 times (feature 1, feature 2): each plot "
            "is one feature.",
            "Feature 2, plot P-1: rejected. The plot code P-1 is given 2 times (feature 1, feature 2): each plot "
            "is one feature.",
        ]

    def test_another_cooperatives_plot_with_the_same_code_is_never_touched(self, coop, other_coop, family):
        (theirs,) = plots(factories.ProducerFactory(cooperative=other_coop), "FAZENDA TABOAO I")
        (ours,) = plots(family, "FAZENDA TABOAO II", declared_area_ha=Decimal("2.39"))

        refused = plot_geometries_import(cooperative=coop, content=EU_TYPE1.read_bytes())
        only_ours = json.dumps(json.loads(EU_TYPE1.read_text())["features"][1]).encode()
        plot_geometries_import(cooperative=coop, content=only_ours)

        assert [str(line) for line in refused.errors] == [
            "Feature 1, plot FAZENDA TABOAO I: rejected. No plot of this cooperative has the code FAZENDA TABOAO I."
        ]
        old = theirs.geometry
        theirs.refresh_from_db()
        ours.refresh_from_db()
        assert (theirs.geometry, theirs.history.count()) == (old, 1)
        assert ours.measured_area_ha == Decimal("2.3801")


@pytest.mark.django_db
class TestSafeRepairs:
    def test_3d_positions_are_accepted_and_the_heights_dropped(self, coop, family):
        (plot,) = plots(family, "P-1")
        with_heights = {"type": "Polygon", "coordinates": [[[*p, 262.5] for p in SQUARE["coordinates"][0]]]}

        report = plot_geometries_import(cooperative=coop, content=collection(feature("P-1", with_heights)))

        assert lines(report) == [
            "Feature 1, plot P-1: updated, measured area 1.223 ha. Heights dropped (3-D positions made 2-D)."
        ]
        plot.refresh_from_db()
        assert plot.geometry == SQUARE

    def test_a_polygon_nested_like_a_multipolygon_is_read_as_one(self, coop, family):
        plots(family, "P-1")
        nested = {"type": "Polygon", "coordinates": [SQUARE["coordinates"]]}

        report = plot_geometries_import(cooperative=coop, content=collection(feature("P-1", nested)))

        assert lines(report) == [
            "Feature 1, plot P-1: updated, measured area 1.223 ha. "
            "Declared Polygon but nested like a MultiPolygon: read as MultiPolygon."
        ]
        assert Plot.objects.get(code="P-1").geometry == {"type": "MultiPolygon", "coordinates": [SQUARE["coordinates"]]}

    def test_a_crs_that_names_wgs84_is_read_and_said(self, coop, family):
        plots(family, "P-1")
        crs = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::4326"}}

        report = plot_geometries_import(cooperative=coop, content=collection(feature("P-1", SQUARE), crs=crs))

        assert lines(report) == [
            "Feature 1, plot P-1: updated, measured area 1.223 ha. The file's crs member, "
            "urn:ogc:def:crs:EPSG::4326, is WGS84 longitude and latitude, as GeoJSON has them."
        ]

    def test_a_crs_in_metres_refuses_the_file(self, coop, family):
        (plot,) = plots(family, "P-1")
        crs = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::32718"}}
        utm = {"type": "Point", "coordinates": [375000, 9273000]}

        with pytest.raises(ImportFileError) as refused:
            plot_geometries_import(cooperative=coop, content=collection(feature("P-1", utm), crs=crs), filename="a")

        assert str(refused.value) == (
            "The file a gives its coordinates in urn:ogc:def:crs:EPSG::32718, not in WGS84 longitude and latitude: "
            "export it again in WGS84 (EPSG:4326)."
        )
        assert Plot.objects.get(pk=plot.pk).geometry == plot.geometry


@pytest.mark.django_db
class TestBadFiles:
    @pytest.mark.parametrize(
        ("name", "content", "message"),
        [
            ("empty.geojson", b"", "The file empty.geojson is empty."),
            (
                "latin1.geojson",
                '{"type": "Feature", "properties": {"code": "Ñuñuma"}, "geometry": null}'.encode("latin-1"),
                "The GeoJSON file latin1.geojson is not UTF-8 text, as GeoJSON must be: save it again as UTF-8.",
            ),
            (
                "photo.jpg",
                b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01",
                "photo.jpg is not a GeoJSON, KML or GPX file. Export the plot from the GPS or phone app in one of "
                "these formats.",
            ),
            (
                "cut.geojson",
                b'{"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": {"type": "Poly',
                "The GeoJSON file cut.geojson cannot be read: it is damaged or incomplete.",
            ),
            ("none.geojson", b'{"type": "FeatureCollection", "features": []}', "The file none.geojson holds no plot."),
            (
                "huge.geojson",
                b" " * (25 * 1024 * 1024 + 1),
                "The file huge.geojson is 25.0 MB; the limit is 25 MB. Split it into smaller files.",
            ),
        ],
        ids=["empty", "latin-1", "binary", "cut", "no features", "huge"],
    )
    def test_a_file_that_cannot_be_read_is_refused_whole(self, coop, family, name, content, message):
        plots(family, "Ñuñuma")
        before = geometries(coop)

        with pytest.raises(ImportFileError) as refused:
            plot_geometries_import(cooperative=coop, content=content, filename=name)

        assert (str(refused.value), geometries(coop)) == (message, before)

    def test_a_file_of_more_features_than_the_limit_is_refused_whole(self, coop, family, monkeypatch):
        monkeypatch.setattr(geoimport, "MAX_FEATURES", 2)
        plots(family, "P-1", "P-2", geometry=None)
        content = collection(feature("P-1", SQUARE), feature("P-2", ANOTHER_SQUARE), feature("P-3", SQUARE))

        with pytest.raises(ImportFileError) as refused:
            plot_geometries_import(cooperative=coop, content=content, filename="parcelas.geojson", create_missing=True)

        assert str(refused.value) == (
            "The file parcelas.geojson holds 3 features; the limit is 2. Split it into smaller files."
        )
        assert geometries(coop) == {"P-1": None, "P-2": None}

    def test_a_file_of_as_many_features_as_the_limit_is_imported(self, coop, family, monkeypatch):
        monkeypatch.setattr(geoimport, "MAX_FEATURES", 2)
        plots(family, "P-1", "P-2", geometry=None)
        content = collection(feature("P-1", SQUARE), feature("P-2", ANOTHER_SQUARE))

        report = plot_geometries_import(cooperative=coop, content=content)

        assert (report.errors, report.updated, geometries(coop)) == ([], 2, {"P-1": SQUARE, "P-2": ANOTHER_SQUARE})

    def test_a_utf16_file_from_notepad_is_read(self, coop, family):
        plots(family, "Ñuñuma")
        content = collection(feature("Ñuñuma", SQUARE)).decode().encode("utf-16")

        report = plot_geometries_import(cooperative=coop, content=content)

        assert lines(report) == ["Feature 1, plot Ñuñuma: updated, measured area 1.223 ha."]


@pytest.mark.django_db
class TestCommand:
    def test_it_imports_a_geojson_file_and_lists_each_feature(self, coop, family, tmp_path):
        plots(family, "FAZENDA TABOAO I", "FAZENDA TABOAO II", declared_area_ha=Decimal("2.39"))
        out = io.StringIO()

        call_command("import_plots", str(EU_TYPE1), "--cooperative", coop.code, "--dry-run", stdout=out)
        assert out.getvalue().splitlines()[0] == "New: 0. Updated: 2. Unchanged: 0. Rejected: 0."
        assert out.getvalue().splitlines()[-1] == "Dry run: nothing was written."
        assert Plot.objects.filter(measured_area_ha=Decimal("23.6121")).count() == 0

        call_command("import_plots", str(EU_TYPE1), "--cooperative", coop.code, stdout=io.StringIO())
        assert Plot.objects.filter(measured_area_ha=Decimal("23.6121")).count() == 1

    def test_it_fails_with_the_rejected_features_and_writes_nothing(self, coop, family, tmp_path):
        plots(family, *[str(n) for n in range(1, 51)])
        before = geometries(coop)
        out, err = io.StringIO(), io.StringIO()

        with pytest.raises(CommandError) as failed:
            call_command(
                "import_plots",
                str(WHISP),
                "--cooperative",
                coop.code,
                "--code-property",
                "user_id",
                stdout=out,
                stderr=err,
            )

        assert str(failed.value) == "Nothing was written: correct the features above and import the file again."
        assert err.getvalue() == (
            "Feature 14, plot 14: rejected. This polygon has 1 hole; the EU system does not process holes.\n"
        )
        assert out.getvalue().splitlines()[0] == "New: 0. Updated: 49. Unchanged: 0. Rejected: 1."
        assert geometries(coop) == before

    def test_skip_rejected_writes_the_rest_and_still_fails(self, coop, family):
        plots(family, *[str(n) for n in range(1, 51)])

        with pytest.raises(CommandError) as failed:
            call_command(
                "import_plots",
                str(WHISP),
                "--cooperative",
                coop.code,
                "--code-property",
                "user_id",
                "--skip-rejected",
                stdout=io.StringIO(),
                stderr=io.StringIO(),
            )

        assert str(failed.value) == "The accepted features were imported; the 1 rejected above were left out."
        assert Plot.objects.filter(measured_area_ha=Decimal("1409.7283")).count() == 1

    def test_it_creates_missing_plots_when_asked(self, coop, family):
        factories.ProducerFactory(cooperative=coop, dni="41234568")
        plots(family, "AV-001-1", "AV-001-2")

        call_command(
            "import_plots", str(QGIS_KML), "--cooperative", coop.code, "--create-missing", stdout=io.StringIO()
        )

        assert Plot.objects.get(code="AV-002-1").history.get().history_change_reason == (
            "Geometry imported from parcelas_aguas_verdes_qgis.kml"
        )

    def test_geometry_options_are_refused_for_a_spreadsheet(self, coop, tmp_path):
        path = tmp_path / "parcelas.csv"
        path.write_text("code\n")

        with pytest.raises(CommandError) as failed:
            call_command("import_plots", str(path), "--cooperative", coop.code, "--create-missing")

        assert str(failed.value) == "--create-missing, --code-property and --skip-rejected are for geometry files only."
