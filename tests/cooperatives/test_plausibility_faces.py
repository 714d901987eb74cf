"""The plausibility flags on every face: the dashboard, the API and the admin show the same figures.

One cooperative with one flag of each kind: Juan sold three times what his covered plot yields,
Rosa's plot overlaps Juan's by a fifth, Edith's second plot lies 1.7 km west of Chazuta, and
Edith holds more than 5 ha.
"""

import datetime
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from certifications.models import Standard
from cooperatives import roles
from harvests import plausibility
from plots import geometry as geo
from tests import factories
from tests.html import text_of

pytestmark = pytest.mark.django_db

D = Decimal
SEASON = datetime.date.today().year - 1


def plot(producer, geometry, declared):
    return factories.PlotFactory(
        producer=producer,
        geometry=geometry,
        declared_area_ha=D(declared),
        measured_area_ha=geo.geodesic_area_ha(geometry) if geometry["type"] != "Point" else None,
        estimated_yield_kg_ha=D("1000"),
    )


@pytest.fixture
def flagged(coop):
    juan = factories.ProducerFactory(cooperative=coop, first_name="Juan", last_name="Tapullima")
    rosa = factories.ProducerFactory(cooperative=coop, first_name="Rosa", last_name="Sangama")
    edith = factories.ProducerFactory(cooperative=coop, first_name="Edith", last_name="Cenepo")
    certificate = factories.CertificateFactory(
        cooperative=coop, valid_from=datetime.date(SEASON, 1, 1), valid_to=datetime.date(SEASON, 12, 31)
    )
    land = plot(juan, factories.square(-76.08, -6.58), "1.2")
    factories.CoveredPlotFactory(certificate=certificate, plot=land)
    plot(rosa, factories.square(-76.0792, -6.58), "1.2")
    plot(edith, {"type": "Point", "coordinates": [-76.07, -6.57]}, "4.0")
    plot(edith, factories.square(-76.152, -6.58), "1.2")
    centre = factories.CollectionCentreFactory(cooperative=coop)
    delivery = factories.DeliveryFactory(
        producer=juan,
        collection_centre=centre,
        date=datetime.date(SEASON, 5, 1),
        net_kg=(land.measured_area_ha * 3000).quantize(D("0.01")),
    )
    delivery.certified_standards.add(Standard.objects.get(code="eu-organic"))
    return {"juan": juan, "rosa": rosa, "edith": edith}


def api_url(coop, **params):
    url = reverse("api:cooperative-plausibility", args=[coop.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def test_the_flagged_cooperative_has_one_flag_of_each_kind(coop, flagged):
    flags = plausibility.cooperative_flags(coop, SEASON)

    assert flags.counts == {"over_yield": 1, "overlaps": 1, "outside_district": 1, "over_holding": 1}
    assert [f.code for f in flags.over_yield] == [flagged["juan"].code]
    assert flags.over_yield[0].ratio == D("3.00")
    assert [(f.producer_code, f.other_producer_code) for f in flags.overlaps] == [
        (flagged["juan"].code, flagged["rosa"].code)
    ]
    assert [f.producer_code for f in flags.outside_district] == [flagged["edith"].code]
    assert [f.code for f in flags.over_holding] == [flagged["edith"].code]


def test_the_dashboard_the_api_and_the_admin_show_the_same_figures(client, coop, manager, flagged):
    flags = plausibility.cooperative_flags(coop, SEASON)
    yield_flag, overlap = flags.over_yield[0], flags.overlaps[0]
    outside, holding = flags.outside_district[0], flags.over_holding[0]
    client.force_login(manager)

    page = client.get(reverse("dashboard", args=[coop.code]), {"season": SEASON})
    api = client.get(api_url(coop, season=SEASON)).json()
    admin = client.get(reverse("admin:cooperatives_cooperative_plausibility", args=[coop.pk]), {"season": SEASON})

    assert page.context["figures"]["flags"] == flags
    assert api["season"] == SEASON
    assert api["tolerance_pct"] == "20.00"
    assert api["counts"] == flags.counts
    assert api["over_yield"] == [
        {
            "producer_id": yield_flag.producer_id,
            "code": yield_flag.code,
            "name": "Juan Tapullima",
            "delivered_kg": str(yield_flag.delivered_kg),
            "plausible_kg": str(yield_flag.plausible_kg),
            "ratio": "3.00",
            "tolerance_pct": "20.00",
        }
    ]
    assert (api["overlaps"][0]["overlap_m2"], api["overlaps"][0]["overlap_pct"]) == (
        str(overlap.overlap_m2),
        str(overlap.overlap_pct),
    )
    assert (api["outside_district"][0]["distance_m"], api["outside_district"][0]["tolerance_m"]) == (
        outside.distance_m,
        100,
    )
    assert (api["over_holding"][0]["hectares"], api["over_holding"][0]["plots"]) == (str(holding.hectares), 2)

    def shown(value, places):
        return f"{value:,.{places}f}"

    delivered, plausible = shown(yield_flag.delivered_kg, 2), shown(yield_flag.plausible_kg, 2)
    for response, tables in [
        (page, ("plausibility-flags", "overlap-flags", "district-flags", "holding-flags")),
        (admin, ("admin-over-yield", "admin-overlaps", "admin-outside-district", "admin-over-holding")),
    ]:
        assert response.status_code == 200
        assert f"{yield_flag.code} · Juan Tapullima {delivered} {plausible} 3.00" in text_of(response, tables[0])
        assert f"{shown(overlap.overlap_m2, 0)} {overlap.overlap_pct} %" in text_of(response, tables[1])
        assert f"Chazuta {shown(outside.distance_m, 0)} 100" in text_of(response, tables[2])
        assert f"{holding.code} · Edith Cenepo 2 {shown(holding.hectares, 2)}" in text_of(response, tables[3])


def test_the_tolerance_changed_in_the_admin_changes_every_face(client, coop, manager, flagged):
    client.force_login(manager)
    coop.plausibility_tolerance_pct = D("100")
    coop.save(update_fields=["plausibility_tolerance_pct"])

    api = client.get(api_url(coop, season=SEASON)).json()
    page = client.get(reverse("dashboard", args=[coop.code]), {"season": SEASON})

    assert api["over_yield"][0]["tolerance_pct"] == "100.00"
    assert page.context["figures"]["flags"].over_yield[0].tolerance_pct == D("100.00")
    coop.plausibility_tolerance_pct = D("200")
    with pytest.raises(ValidationError) as error:
        coop.full_clean()
    assert list(error.value.message_dict) == ["plausibility_tolerance_pct"]


def test_a_partner_reads_codes_and_figures_but_no_names(client, coop, partner, flagged):
    client.force_login(partner)

    api = client.get(api_url(coop, season=SEASON)).json()

    assert api["over_yield"][0]["code"] == flagged["juan"].code
    assert "name" not in api["over_yield"][0]
    assert {"producer_name", "other_producer_name"} & set(api["overlaps"][0]) == set()
    assert "producer_name" not in api["outside_district"][0]
    assert "name" not in api["over_holding"][0]
    assert b"Tapullima" not in client.get(api_url(coop, season=SEASON)).content


def test_an_auditor_reads_the_flags_with_names(client, coop, auditor, flagged):
    client.force_login(auditor)

    api = client.get(api_url(coop, season=SEASON)).json()

    assert api["over_yield"][0]["name"] == "Juan Tapullima"


def test_another_cooperatives_manager_finds_no_flags_on_any_face(client, coop, other_manager, flagged):
    client.force_login(other_manager)

    assert client.get(api_url(coop)).status_code == 404
    admin = client.get(reverse("admin:cooperatives_cooperative_plausibility", args=[coop.pk]))
    assert admin.status_code in (302, 404)
    assert b"Tapullima" not in admin.content


def test_a_season_that_is_not_a_year_up_to_this_one_is_refused_with_the_fields_message(client, coop, manager):
    client.force_login(manager)

    english = {"Accept-Language": "en"}
    future = client.get(api_url(coop, season=datetime.date.today().year + 1), headers=english)
    word = client.get(api_url(coop, season="last"), headers=english)

    def errors(response):
        return response.status_code, [(e["attr"], e["detail"]) for e in response.json()["errors"]]

    assert errors(future) == (400, [("season", "A season in the future has no purchases yet.")])
    assert errors(word) == (400, [("season", "A valid integer is required.")])


def test_without_a_season_the_api_answers_for_this_one(client, coop, manager):
    client.force_login(manager)

    assert client.get(api_url(coop)).json()["season"] == datetime.date.today().year


def test_the_api_costs_the_same_queries_for_few_and_many_flags(
    client, coop, manager, flagged, django_assert_max_num_queries
):
    client.force_login(manager)
    client.get(api_url(coop, season=SEASON))
    cache.clear()
    with CaptureQueriesContext(connection) as few:
        client.get(api_url(coop, season=SEASON))
    for k in range(20):
        family = factories.ProducerFactory(cooperative=coop)
        plot(family, {"type": "Point", "coordinates": [-76.09 + k * 0.001, -6.59]}, "6.0")
    cache.clear()

    with django_assert_max_num_queries(len(few)):
        response = client.get(api_url(coop, season=SEASON))
    assert len(response.json()["over_holding"]) == 21


def test_the_admin_page_needs_the_permission_to_see_families(client, coop, flagged):
    user = factories.staff_for(coop, roles.FIELD_OFFICER)
    user.groups.clear()
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    client.force_login(user)

    response = client.get(reverse("admin:cooperatives_cooperative_plausibility", args=[coop.pk]))

    assert response.status_code == 403
