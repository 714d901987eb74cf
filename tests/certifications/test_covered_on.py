"""A plot is under a certificate on a day when it is within the certificate's scope that day (included, not yet
excluded) and the certificate is in force: one rule, CoverageQuerySet.in_force, which certifications.selectors'
covered_on (for the maps and the pages) and covers_on (on rows already read) follow. The dashboard's certified
hectares, its map, a family's page and the certification of a purchase give one answer."""

import datetime
import itertools
import json
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from certifications.models import CoveredPlot
from certifications.selectors import COVERAGE, covered_on, covers_on
from harvests.services import certification_on
from overview import dashboard
from plots.models import Plot
from tests import factories

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def rosa(coop):
    return factories.ProducerFactory(cooperative=coop, first_name="Rosa", last_name="Sangama")


@pytest.fixture
def certificate(coop, today):
    return factories.CertificateFactory(cooperative=coop, valid_from=today - 300 * DAY, valid_to=today + 60 * DAY)


@pytest.fixture
def included_next_week(rosa, certificate, today):
    """Rosa's organic plot, which the certificate's scope takes in only from next week."""
    plot = factories.PlotFactory(producer=rosa, code="P-ROSA", declared_area_ha=Decimal("1.5"))
    factories.CoveredProducerFactory(certificate=certificate, producer=rosa)
    factories.CoveredPlotFactory(certificate=certificate, plot=plot, included_on=today + 7 * DAY)
    return plot


def test_a_plot_included_from_next_week_is_not_certified_on_the_dashboard(coop, included_next_week, today):
    figures = dashboard.dashboard(coop, today)["plots"]

    assert figures["hectares"] == Decimal("1.5")
    assert figures["certified_ha"] == 0


def test_nor_on_the_dashboard_map(client, manager, coop, included_next_week):
    client.force_login(manager)

    features = json.loads(client.get(reverse("dashboard_plots", args=[coop.code])).content)["features"]

    assert [(f["properties"]["code"], f["properties"]["certification"]) for f in features] == [
        ("P-ROSA", "not_certified")
    ]


def test_nor_on_the_familys_page(client, manager, coop, rosa, included_next_week):
    client.force_login(manager)

    page = client.get(reverse("producer_detail", args=[coop.code, rosa.pk]))

    assert [plot.certification for plot in page.context["plots"]] == ["not_certified"]


def test_nor_for_a_purchase_that_day(rosa, included_next_week, today):
    _status, standards = certification_on(producer=rosa, plots=[included_next_week], day=today)

    assert standards == []


def test_from_its_inclusion_on_every_face_says_certified(client, manager, coop, rosa, included_next_week, today):
    CoveredPlot.objects.filter(plot=included_next_week).update(included_on=today)
    client.force_login(manager)

    assert dashboard.dashboard(coop, today)["plots"]["certified_ha"] == Decimal("1.5")
    features = json.loads(client.get(reverse("dashboard_plots", args=[coop.code])).content)["features"]
    assert features[0]["properties"]["certification"] == "certified"
    page = client.get(reverse("producer_detail", args=[coop.code, rosa.pk]))
    assert [plot.certification for plot in page.context["plots"]] == ["certified"]
    assert [s.code for s in certification_on(producer=rosa, plots=[included_next_week], day=today)[1]] == ["eu-organic"]


def test_the_rule_in_the_database_and_on_rows_read_agree_on_every_case(coop, rosa, today):
    """Inclusion before, on or after the day (or none), exclusion on or after it (or none), the certificate in
    force, expired or not begun: covered_on, covers_on and CoverageQuerySet.in_force answer alike."""
    certificates = {
        "in force": factories.CertificateFactory(
            cooperative=coop, valid_from=today - 300 * DAY, valid_to=today + 60 * DAY
        ),
        "expired": factories.CertificateFactory(cooperative=coop, valid_from=today - 400 * DAY, valid_to=today - DAY),
        "not begun": factories.CertificateFactory(cooperative=coop, valid_from=today + DAY, valid_to=today + 300 * DAY),
    }
    inclusions = [None, today - 10 * DAY, today, today + DAY]
    exclusions = [None, today, today + DAY]
    cases = {}
    for (kind, certificate), included, excluded in itertools.product(certificates.items(), inclusions, exclusions):
        if included and excluded and excluded < included:
            continue
        plot = factories.PlotFactory(producer=rosa)
        factories.CoveredPlotFactory(certificate=certificate, plot=plot, included_on=included, excluded_on=excluded)
        cases[plot.pk] = (kind, included, excluded)

    in_database = dict(
        Plot.objects.filter(pk__in=cases).annotate(covered=covered_on(today)).values_list("pk", "covered")
    )
    on_rows = {row["plot_id"]: covers_on(row, today) for row in CoveredPlot.objects.values("plot_id", *COVERAGE)}
    in_force = set(CoveredPlot.objects.in_force(today).values_list("plot_id", flat=True))

    covered = {pk for pk, yes in in_database.items() if yes}
    assert covered == {pk for pk, yes in on_rows.items() if yes} == in_force
    # The cases covered: a certificate in force, the plot included by today and not excluded by then.
    covered_cases = [(included, excluded) for pk, (kind, included, excluded) in cases.items() if pk in covered]
    assert sorted(covered_cases, key=str) == sorted(
        [(None, None), (None, today + DAY), (today - 10 * DAY, None), (today - 10 * DAY, today + DAY), (today, None),
         (today, today + DAY)],
        key=str,
    )  # fmt: skip
    assert all(cases[pk][0] == "in force" for pk in covered)
