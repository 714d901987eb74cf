"""seed_demo: the demo cooperative Allima Cacao, and benchmark cooperatives at any scale."""

import datetime
import json
import re
from collections import defaultdict
from decimal import Decimal
from io import StringIO
from pathlib import Path

from django.apps import apps
from django.core.management import call_command
from django.db.models import F
from django.utils import timezone
from shapely.geometry import shape
from shapely.strtree import STRtree
from stdnum import iso6346

from certifications.models import Inspection, NonConformity, Sanction
from cooperatives.models import Cooperative, CooperativeOwned
from demo import names
from exports import eudr
from exports.eudr import EudrExport
from exports.models import Container, Lot, LotAllocation, Shipment, ShipmentLot
from harvests.models import Delivery, QualityAnalysis
from plots import geometry as geo
from plots.models import Plot
from producers.models import Producer
from tests.exports.test_eudr import assert_valid_eudr_file

CHAZUTA_BOUNDARY = Path(__file__).parents[1] / "fixtures" / "peru" / "chazuta_district_inei2007_simple.geojson"


def row_counts():
    return {model._meta.label: model._default_manager.count() for model in apps.get_models(include_auto_created=True)}


def test_running_it_twice_leaves_the_same_number_of_rows_in_every_model(allima):
    before = row_counts()
    out = StringIO()

    call_command("seed_demo", stdout=out)

    assert row_counts() == before
    assert "exists already" in out.getvalue()
    assert "minka-demo" not in out.getvalue()


def test_it_prints_the_demo_logins_once_when_it_creates_them(seeded, allima):
    assert "minka-demo" in seeded
    for username in ("admin", "gerente", "campo", "socio", "auditor"):
        assert f"  {username} " in seeded


def test_every_demo_login_is_staff_and_works_for_allima(allima):
    users = apps.get_model("auth", "User").objects.filter(
        username__in=["admin", "gerente", "campo", "socio", "auditor"]
    )

    assert users.count() == 5
    assert users.get(username="gerente").check_password("minka-demo") is True
    assert {u.password for u in users} == {users.get(username="gerente").password}  # one password, hashed once
    for user in users:
        assert user.is_staff is True
        assert user.memberships.filter(cooperative=allima).exists() is True
    assert users.get(username="admin").is_superuser is True
    assert list(users.get(username="campo").groups.values_list("name", flat=True)) == ["field officer"]


def test_the_demo_has_about_200_families_and_430_to_500_ha_of_plots(allima):
    families = Producer.objects.filter(cooperative=allima)
    hectares = sum(p.declared_area_ha for p in Plot.objects.filter(cooperative=allima))

    assert 190 <= families.count() <= 210
    assert Decimal(430) <= hectares <= Decimal(500)
    kichwa = [p for p in families if p.last_name.split()[0] in names.KICHWA_SURNAMES]

    assert 0.48 <= len(kichwa) / families.count() <= 0.58


def test_no_two_plots_of_the_demo_overlap(allima):
    shapes = [shape(p.geometry) for p in Plot.objects.filter(cooperative=allima)]
    tree = STRtree(shapes)

    touching = [(i, j) for i, j in zip(*tree.query(shapes, predicate="intersects"), strict=True) if i < j]

    assert touching == []


def test_every_polygon_passes_the_eudr_validation_even_cut_to_6_decimals(allima):
    polygons = Plot.objects.filter(cooperative=allima).with_polygon()

    assert polygons.count() > 250
    for plot in polygons:
        assert geo.validate_for_eudr(plot.geometry) == geo.truncate(plot.geometry)
        assert plot.measured_area_ha == geo.geodesic_area_ha(plot.geometry)


# Words that give an English sentence away; a Peruvian cooperative writes its records in Spanish.
ENGLISH = re.compile(r"\b(the|and|of|on|with|field visit|found|no living|plant a)\b", re.IGNORECASE)


def test_the_demos_free_texts_are_spanish_as_the_cooperative_writes_them(allima):
    texts = {
        "findings": Inspection.objects.filter(cooperative=allima).values_list("findings", flat=True),
        "non-conformities": [
            text
            for row in NonConformity.objects.filter(cooperative=allima).values_list(
                "description", "corrective_action", "closing_evidence"
            )
            for text in row
        ],
        "assessment methods": Plot.objects.filter(cooperative=allima).values_list("deforestation_method", flat=True),
        "varieties": Plot.objects.filter(cooperative=allima).values_list("variety", flat=True),
    }

    english = {kind: sorted({text for text in values if ENGLISH.search(text)}) for kind, values in texts.items()}

    assert english == {kind: [] for kind in texts}
    assert NonConformity.objects.filter(cooperative=allima).exists() is True


def test_a_plot_mapped_as_a_point_has_no_measured_area_as_plot_clean_leaves_it(allima):
    points = Plot.objects.filter(cooperative=allima, geometry__type="Point")

    assert points.count() > 10
    assert list(points.exclude(measured_area_ha=None).values_list("code", "measured_area_ha")) == []


def test_the_eudr_file_of_the_demo_cooperative_holds_every_plot_and_passes_the_eu_rules(allima):
    job = EudrExport(eudr.plots_for_cooperative(allima))
    (collection,) = [json.loads(b"".join(chunks)) for chunks in job.files()]

    assert (job.written, job.errors) == (Plot.objects.filter(cooperative=allima).count(), [])
    assert_valid_eudr_file(collection)
    assert len(collection["features"]) == job.written


def test_every_plot_over_4_ha_is_a_polygon(allima):
    large = Plot.objects.filter(cooperative=allima, declared_area_ha__gt=4)

    assert large.count() >= 5
    assert set(large.values_list("geometry__type", flat=True)) == {"Polygon"}


def test_most_declared_areas_are_close_to_the_measured_ones_and_a_handful_are_not(allima):
    plots = list(Plot.objects.filter(cooperative=allima).with_polygon())
    off = [p for p in plots if abs(p.area_difference_pct()) > 10]

    assert 3 <= len(off) <= 10
    assert sum(abs(p.area_difference_pct()) <= 3 for p in plots) / len(plots) > 0.9


def test_every_plot_lies_in_chazuta_district(allima):
    boundary = shape(json.loads(CHAZUTA_BOUNDARY.read_text())["features"][0]["geometry"])

    outside = [p.code for p in Plot.objects.filter(cooperative=allima) if not boundary.contains(shape(p.geometry))]

    assert outside == []


def test_every_child_row_belongs_to_its_parents_cooperative(allima):
    mismatched = {}
    for model in apps.get_models():
        if not issubclass(model, CooperativeOwned):
            continue
        for field in model._meta.concrete_fields:
            if field.is_relation and issubclass(field.related_model, CooperativeOwned):
                wrong = model.objects.exclude(**{f"{field.name}__isnull": True}).exclude(
                    cooperative_id=F(f"{field.name}__cooperative_id")
                )
                if wrong.exists():
                    mismatched[f"{model._meta.label}.{field.name}"] = wrong.count()
    wrong_plots = Delivery.plots.through.objects.exclude(delivery__cooperative_id=F("plot__cooperative_id"))

    assert mismatched == {}
    assert wrong_plots.exists() is False


def test_every_deliverys_allocated_kg_equals_the_sum_of_its_allocations(allima):
    allocated = defaultdict(Decimal)
    for delivery_id, kg in LotAllocation.objects.filter(cooperative=allima).values_list("delivery_id", "kg"):
        allocated[delivery_id] += kg
    deliveries = Delivery.objects.filter(cooperative=allima)

    assert len(allocated) > 0.8 * deliveries.count()
    for delivery in deliveries:
        assert delivery.allocated_kg == allocated[delivery.pk], delivery.receipt_number
        assert delivery.allocated_kg <= delivery.dry_kg


def test_an_eudr_segregated_lot_takes_cocoa_only_from_eudr_ready_plots(allima):
    segregated = Lot.objects.filter(cooperative=allima, eudr_segregated=True)
    # Ids in hand rather than a DISTINCT subquery: freshly bulk-loaded tables have no
    # statistics yet, and PostgreSQL's plan for the subquery then takes minutes.
    delivery_ids = set(LotAllocation.objects.filter(lot__in=segregated).values_list("delivery_id", flat=True))
    origins = Delivery.plots.through.objects.filter(delivery_id__in=delivery_ids).select_related("plot")

    assert segregated.exists() is True
    assert Delivery.objects.filter(pk__in=delivery_ids, plots__isnull=True).exists() is False
    assert [o.plot.code for o in origins if not o.plot.eudr_ready] == []
    assert Lot.objects.filter(cooperative=allima, eudr_segregated=False).exists() is True


def test_deliveries_are_plausible(allima):
    today = timezone.localdate()
    deliveries = Delivery.objects.filter(cooperative=allima)

    assert deliveries.filter(date__gt=today).exists() is False
    assert deliveries.filter(date__lt=today - datetime.timedelta(days=3 * 366)).exists() is False
    assert deliveries.exclude(wet_to_dry_ratio=F("collection_centre__wet_to_dry_ratio")).exists() is False
    dry = deliveries.filter(state=Delivery.State.DRY)
    assert dry.filter(moisture_pct__lt=Decimal("6.5")).exists() is False
    assert dry.filter(moisture_pct__gt=Decimal("8.5")).exists() is False
    assert deliveries.filter(state=Delivery.State.WET).count() > 0.2 * deliveries.count()
    assert deliveries.filter(certified_standards__code="eu-organic").exclude(organic_status="organic").exists() is False
    for analysis in QualityAnalysis.objects.filter(cooperative=allima):
        cut = analysis.well_fermented + analysis.violet + analysis.slaty + analysis.mouldy + analysis.defective
        assert cut <= analysis.beans_cut
        assert 95 <= analysis.bean_count <= 115


def test_every_active_family_was_inspected_in_the_last_twelve_months_by_someone_else(allima):
    since = timezone.localdate() - datetime.timedelta(days=365)
    inspected = set(
        Inspection.objects.filter(cooperative=allima, date__gte=since).values_list("producer_id", flat=True)
    )
    active = set(Producer.objects.filter(cooperative=allima).active().values_list("pk", flat=True))

    assert active <= inspected
    assert Producer.objects.filter(cooperative=allima, user__isnull=False).count() == 1
    assert Inspection.objects.filter(cooperative=allima, producer__user=F("inspector")).exists() is False
    assert Inspection.objects.filter(cooperative=allima).values("inspector").distinct().count() == 3
    sanctions = set(
        Sanction.objects.filter(cooperative=allima, inspection__isnull=False).values_list("kind", flat=True)
    )
    assert {"warning", "plot_exclusion", "suspension"} <= sanctions


def test_shipments_weigh_what_their_lots_do_in_valid_containers(allima):
    shipments = Shipment.objects.filter(cooperative=allima).prefetch_related("shipment_lots", "containers")

    assert {s.destination_country.code for s in shipments} == {"IT", "GB"}
    for shipment in shipments:
        assert shipment.net_kg == sum(sl.kg for sl in shipment.shipment_lots.all())
        assert 60 <= shipment.net_kg / shipment.bags <= 69
        assert shipment.containers.exists() is True
    for container in Container.objects.filter(cooperative=allima):
        assert iso6346.is_valid(container.number) is True
    for shipped in ShipmentLot.objects.filter(cooperative=allima).select_related("lot"):
        assert shipped.kg <= sum(a.kg for a in shipped.lot.allocations.all())


def test_the_scale_option_creates_the_cooperatives_and_families_asked_for(allima):
    out = StringIO()

    call_command("seed_demo", cooperatives=2, families=20, deliveries=5, stdout=out)

    bench = Cooperative.objects.filter(code__startswith="bench-")
    assert sorted(bench.values_list("code", flat=True)) == ["bench-001", "bench-002"]
    assert Producer.objects.filter(cooperative__in=bench).count() == 20
    assert Delivery.objects.filter(cooperative__in=bench).count() == 100
    plots = Plot.objects.filter(cooperative__in=bench)
    assert plots.count() == 40
    for plot in plots:
        assert len(geo.validate(plot.geometry)["coordinates"][0]) == 21  # 20 corners and the closing one
        assert plot.measured_area_ha == geo.geodesic_area_ha(plot.geometry)
    for delivery in Delivery.objects.filter(cooperative__in=bench).prefetch_related("plots"):
        assert [p.producer_id for p in delivery.plots.all()] == [delivery.producer_id]
    assert "bench-002: 10 families" in out.getvalue()


def test_the_scale_option_skips_the_cooperatives_that_exist(allima):
    call_command("seed_demo", cooperatives=1, families=5, deliveries=2, stdout=StringIO())
    before = row_counts()
    out = StringIO()

    call_command("seed_demo", cooperatives=1, families=5, deliveries=2, stdout=out)

    assert row_counts() == before
    assert "bench-001 exists already" in out.getvalue()
