"""The internal control system's rules, each with the case that breaks it (certifications.services)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from certifications import selectors
from certifications.models import (
    ChecklistQuestion,
    ChecklistTemplate,
    CoveredPlot,
    ExternalSample,
    Inspection,
    NonConformity,
    Sanction,
    SanctionKind,
    Standard,
)
from certifications.services import (
    approval_decide,
    campaign_assign,
    checklist_template_new_version,
    non_conformity_close,
    sample_draw,
    sample_size,
    sanction_impose,
)
from harvests.services import delivery_record
from producers.models import Producer
from tests.factories import (
    CertificateFactory,
    CollectionCentreFactory,
    CoveredPlotFactory,
    CoveredProducerFactory,
    InspectionCampaignFactory,
    InspectionFactory,
    NonConformityFactory,
    PlotFactory,
    ProducerFactory,
    SanctionTypeFactory,
)

pytestmark = pytest.mark.django_db
OWN_FAMILY = "An inspector cannot inspect his or her own family"
SANCTION_DAY = datetime.date(2026, 6, 1)


def organic():
    return Standard.objects.get(code="eu-organic")


@pytest.fixture
def certified_plot(coop):
    """An organic plot of an active family, covered by a valid EU organic certificate."""
    plot = PlotFactory(producer__cooperative=coop, conversion_start=datetime.date(2018, 1, 1))
    certificate = CertificateFactory(cooperative=coop, standard=organic())
    CoveredProducerFactory(certificate=certificate, producer=plot.producer)
    CoveredPlotFactory(certificate=certificate, plot=plot)
    return plot


def record(plot, day, receipt):
    centre = CollectionCentreFactory(cooperative=plot.cooperative)
    return delivery_record(
        producer=plot.producer,
        plots=[plot],
        collection_centre=centre,
        receipt_number=receipt,
        date=day,
        net_kg=Decimal("180"),
        price_pen_per_kg=Decimal("10.50"),
        moisture_pct=Decimal("7.0"),
    )


def certified(delivery):
    return sorted(delivery.certified_standards.values_list("code", flat=True))


# Checklist templates


def test_the_migration_loads_version_1_of_each_standards_checklist():
    versions = {(t.standard.code, t.version, t.questions.count()) for t in ChecklistTemplate.objects.all()}
    assert versions == {
        ("eu-organic", 1, 12),
        ("usda-nop", 1, 12),
        ("fairtrade", 1, 11),
        ("rainforest-alliance", 1, 11),
    }


def test_a_template_in_use_cannot_be_edited_and_a_new_version_can(coop):
    template = ChecklistTemplate.objects.current(organic())
    InspectionFactory(producer=ProducerFactory(cooperative=coop), standard=organic(), checklist_template=template)
    question = template.questions.get(key="buffer_zone")
    question.text = "Otra pregunta"

    with pytest.raises(ValidationError) as refused:
        question.full_clean()
    assert refused.value.messages == [
        "Inspections were answered on this version: make a new version of the checklist to change it."
    ]

    copy = checklist_template_new_version(template=template, notes="Pregunta de fotos")
    assert (copy.version, copy.questions.count()) == (2, 12)
    ChecklistQuestion(
        template=copy, key="evidence_photo", text="Foto del almacén", kind="photo", order=200
    ).full_clean()
    assert ChecklistTemplate.objects.current(organic()) == copy


# Campaigns


def test_it_refuses_an_inspector_on_his_own_family_and_writes_nothing(coop, field_officer):
    campaign = InspectionCampaignFactory(cooperative=coop)
    own = ProducerFactory(cooperative=coop, user=field_officer, last_name="Reátegui Isuiza")
    other = ProducerFactory(cooperative=coop)

    with pytest.raises(ValidationError) as refused:
        campaign_assign(campaign=campaign, producers=[other, own], inspector=field_officer)

    assert refused.value.message_dict == {"inspector": [f"{OWN_FAMILY}: {own}."]}
    assert campaign.assignments.count() == 0


def test_campaign_progress_counts_done_pending_and_overdue(coop, field_officer):
    campaign = InspectionCampaignFactory(
        cooperative=coop, year=2026, starts_on=datetime.date(2026, 3, 1), ends_on=datetime.date(2026, 10, 31)
    )
    done = ProducerFactory(cooperative=coop)
    waiting = ProducerFactory(cooperative=coop)
    ProducerFactory(cooperative=coop, status=Producer.Status.WITHDRAWN)  # not due
    ProducerFactory(cooperative=coop, entry_date=datetime.date(2026, 11, 20))  # joined after the campaign
    InspectionFactory(producer=done, standard=organic(), date=datetime.date(2026, 5, 2))
    InspectionFactory(producer=waiting, standard=organic(), date=datetime.date(2025, 5, 2))  # last year's
    campaign_assign(campaign=campaign, producers=[waiting], inspector=field_officer)

    before = selectors.campaign_progress(campaign, on=datetime.date(2026, 10, 31))
    after = selectors.campaign_progress(campaign, on=datetime.date(2026, 11, 1))

    assert (before["done"], before["pending"], before["overdue"], before["due"]) == (1, 1, 0, 1)
    assert (after["done"], after["pending"], after["overdue"], after["due"], after["assigned"]) == (1, 0, 1, 1, 1)
    assert [(row["producer_id"], row["state"]) for row in after["rows"]] == [(done.pk, "done"), (waiting.pk, "overdue")]


def test_campaign_progress_costs_three_queries_whatever_the_size(coop, django_assert_num_queries):
    campaign = InspectionCampaignFactory(cooperative=coop)
    for _ in range(12):
        InspectionFactory(producer=ProducerFactory(cooperative=coop), standard=organic())
    with django_assert_num_queries(3):
        assert selectors.campaign_progress(campaign)["total"] == 12


# Non-conformities


def test_closing_a_non_conformity_needs_evidence_and_a_date():
    non_conformity = NonConformityFactory(deadline=datetime.date(2026, 6, 1))

    with pytest.raises(ValidationError) as refused:
        non_conformity_close(non_conformity=non_conformity, closed_on=None, evidence="  ")
    assert refused.value.message_dict == {
        "closed_on": ["Give the date the non-conformity was closed."],
        "closing_evidence": ["Say how the non-conformity was corrected before closing it."],
    }
    non_conformity.refresh_from_db()
    assert non_conformity.closed_on is None

    non_conformity_close(
        non_conformity=non_conformity, closed_on=datetime.date(2026, 7, 1), evidence="Foto de la barrera"
    )
    non_conformity.refresh_from_db()
    assert (non_conformity.closed_on, non_conformity.closing_evidence) == (
        datetime.date(2026, 7, 1),
        "Foto de la barrera",
    )


def test_an_open_non_conformity_past_its_deadline_is_overdue(coop):
    inspection = InspectionFactory(producer=ProducerFactory(cooperative=coop))
    late = NonConformityFactory(inspection=inspection, deadline=datetime.date(2026, 6, 1))
    NonConformityFactory(inspection=inspection, deadline=datetime.date(2026, 8, 1))
    NonConformityFactory(
        inspection=inspection,
        deadline=datetime.date(2026, 5, 1),
        closed_on=datetime.date(2026, 5, 20),
        closing_evidence="Hecho",
    )
    assert list(NonConformity.objects.for_cooperative(coop).overdue(datetime.date(2026, 7, 1))) == [late]


# Sanctions and their effects on certification


def test_a_suspended_members_delivery_is_certified_before_the_sanction_and_not_after(coop, certified_plot, manager):
    before = record(certified_plot, SANCTION_DAY - datetime.timedelta(days=1), "R-1")

    sanction = sanction_impose(
        sanction_type=SanctionTypeFactory(cooperative=coop, kind=SanctionKind.SUSPENSION),
        producer=certified_plot.producer,
        starts_on=SANCTION_DAY,
        reason="Vendió cacao de un vecino como propio.",
        imposed_by=manager,
    )
    on_the_day = record(certified_plot, SANCTION_DAY, "R-2")

    assert certified(before) == ["eu-organic"]
    assert certified(on_the_day) == []
    certified_plot.producer.refresh_from_db()
    assert certified_plot.producer.status == Producer.Status.SUSPENDED
    change = certified_plot.producer.status_changes.get()
    assert (change.from_status, change.to_status, change.effective_date) == ("active", "suspended", SANCTION_DAY)
    assert sanction.kind == SanctionKind.SUSPENSION


def test_a_delivery_dated_before_the_suspension_but_recorded_after_it_stays_certified(coop, certified_plot):
    sanction_impose(
        sanction_type=SanctionTypeFactory(cooperative=coop, kind=SanctionKind.SUSPENSION),
        producer=certified_plot.producer,
        starts_on=SANCTION_DAY,
        reason="Vendió cacao de un vecino como propio.",
    )
    late_receipt = record(certified_plot, SANCTION_DAY - datetime.timedelta(days=3), "R-3")

    assert certified(late_receipt) == ["eu-organic"]


def test_an_excluded_plot_leaves_the_certificates_scope_on_the_sanctions_day(coop, certified_plot):
    before = record(certified_plot, SANCTION_DAY - datetime.timedelta(days=1), "R-1")
    old = CertificateFactory(
        cooperative=coop, standard=organic(), valid_from=datetime.date(2025, 1, 1), valid_to=datetime.date(2025, 12, 31)
    )
    CoveredPlotFactory(certificate=old, plot=certified_plot)

    sanction_impose(
        sanction_type=SanctionTypeFactory(cooperative=coop, kind=SanctionKind.PLOT_EXCLUSION),
        producer=certified_plot.producer,
        plot=certified_plot,
        starts_on=SANCTION_DAY,
        reason="Saco de urea en la parcela.",
    )
    after = record(certified_plot, SANCTION_DAY, "R-2")

    assert certified(before) == ["eu-organic"]
    assert certified(after) == []
    exclusions = dict(CoveredPlot.objects.filter(plot=certified_plot).values_list("certificate_id", "excluded_on"))
    assert exclusions == {old.pk: None, certified_plot.certificates.exclude(pk=old.pk).get().pk: SANCTION_DAY}
    certified_plot.producer.refresh_from_db()
    assert certified_plot.producer.status == Producer.Status.ACTIVE


def test_a_plot_exclusion_names_a_plot_of_the_family_and_writes_nothing_otherwise(coop, certified_plot):
    exclusion = SanctionTypeFactory(cooperative=coop, kind=SanctionKind.PLOT_EXCLUSION)
    foreign = PlotFactory(producer__cooperative=coop)

    with pytest.raises(ValidationError) as unnamed:
        sanction_impose(sanction_type=exclusion, producer=certified_plot.producer, starts_on=SANCTION_DAY, reason="x")
    with pytest.raises(ValidationError) as wrong:
        sanction_impose(
            sanction_type=exclusion, producer=certified_plot.producer, plot=foreign, starts_on=SANCTION_DAY, reason="x"
        )

    assert unnamed.value.message_dict == {"plot": ["Choose the plot to exclude."]}
    assert wrong.value.message_dict == {"plot": ["The excluded plot must belong to the sanctioned family."]}
    assert Sanction.objects.count() == 0


def test_a_withdrawal_withdraws_and_a_second_suspension_is_refused(coop, certified_plot):
    suspension = SanctionTypeFactory(cooperative=coop, kind=SanctionKind.SUSPENSION)
    sanction_impose(sanction_type=suspension, producer=certified_plot.producer, starts_on=SANCTION_DAY, reason="a")

    with pytest.raises(ValidationError) as refused:
        sanction_impose(sanction_type=suspension, producer=certified_plot.producer, starts_on=SANCTION_DAY, reason="b")
    assert refused.value.messages == ["The family already has this status."]
    assert Sanction.objects.count() == 1

    sanction_impose(
        sanction_type=SanctionTypeFactory(cooperative=coop, kind=SanctionKind.WITHDRAWAL),
        producer=certified_plot.producer,
        starts_on=SANCTION_DAY + datetime.timedelta(days=30),
        reason="Reincidencia.",
    )
    certified_plot.producer.refresh_from_db()
    assert certified_plot.producer.status == Producer.Status.WITHDRAWN


def test_a_warning_changes_nothing_but_its_record(coop, certified_plot):
    inspection = InspectionFactory(producer=certified_plot.producer)
    sanction = sanction_impose(
        sanction_type=SanctionTypeFactory(cooperative=coop, kind=SanctionKind.WARNING),
        producer=certified_plot.producer,
        starts_on=SANCTION_DAY,
        reason="Quema de rastrojos.",
        inspection=inspection,
    )
    after = record(certified_plot, SANCTION_DAY, "R-1")
    assert (sanction.kind, sanction.inspection, certified(after)) == ("warning", inspection, ["eu-organic"])


def test_another_cooperatives_catalogue_entry_is_refused(coop, other_coop, certified_plot):
    with pytest.raises(ValidationError) as refused:
        sanction_impose(
            sanction_type=SanctionTypeFactory(cooperative=other_coop, kind=SanctionKind.WARNING),
            producer=certified_plot.producer,
            starts_on=SANCTION_DAY,
            reason="x",
        )
    assert list(refused.value.message_dict) == ["sanction_type"]


# Approval


def test_a_new_approval_decision_replaces_the_years_old_one(coop):
    family = ProducerFactory(cooperative=coop)
    approval_decide(producer=family, standard=organic(), year=2026, decision="conditional")
    approval_decide(producer=family, standard=organic(), year=2026, decision="approved", reason="Barrera sembrada")
    assert list(family.approval_decisions.values_list("year", "decision", "reason")) == [
        (2026, "approved", "Barrera sembrada")
    ]


# The external sample


@pytest.mark.parametrize(
    ("population", "expected"),
    [(4, (4, 1)), (10, (10, 1)), (150, (10, 1)), (200, (10, 1)), (201, (11, 2)), (1000, (50, 5))],
)
def test_the_sample_is_five_percent_never_fewer_than_ten_and_a_tenth_unannounced(population, expected):
    assert sample_size(population) == expected


def covered_members(coop, count, standard=None, **coverage):
    """`count` active families within the scope of a 2026 certificate of `standard` (EU organic unless told)."""
    certificate = CertificateFactory(cooperative=coop, standard=standard or organic())
    return [
        CoveredProducerFactory(certificate=certificate, producer=ProducerFactory(cooperative=coop), **coverage).producer
        for _ in range(count)
    ]


def test_the_same_seed_draws_the_same_members_and_keeps_the_reason(coop, manager):
    covered_members(coop, 30)
    suspended = covered_members(coop, 1)[0]
    suspended.status = Producer.Status.SUSPENDED  # not drawn
    suspended.save(update_fields=["status"])

    first = sample_draw(cooperative=coop, year=2026, standard=organic(), seed=7, reason="Control Union, visita anual")
    again = sample_draw(cooperative=coop, year=2026, standard=organic(), seed=7, reason="Repetición ante el auditor")
    other = sample_draw(cooperative=coop, year=2026, standard=organic(), seed=8, reason="Otra semilla")

    def drawn(sample):
        return list(sample.members.order_by("producer_id").values_list("producer_id", "unannounced"))

    assert drawn(first) == drawn(again)
    assert drawn(first) != drawn(other)
    assert (first.population, len(drawn(first)), sum(u for _p, u in drawn(first))) == (30, 10, 1)
    assert (first.reason, first.seed) == ("Control Union, visita anual", 7)
    assert not first.members.filter(producer__status=Producer.Status.SUSPENDED).exists()


def test_the_sample_is_drawn_among_the_active_members_the_standards_certificate_covers_in_the_year(coop):
    organic_members = covered_members(coop, 12)
    left_in_2026 = covered_members(coop, 2, excluded_on=datetime.date(2026, 3, 1))
    covered_members(coop, 5, excluded_on=datetime.date(2026, 1, 1))  # out before the year began
    covered_members(coop, 5, standard=Standard.objects.get(code="fairtrade"))
    ProducerFactory.create_batch(5, cooperative=coop)  # under no certificate
    earlier = CertificateFactory(
        cooperative=coop, standard=organic(), valid_from=datetime.date(2025, 1, 1), valid_to=datetime.date(2025, 12, 31)
    )
    CoveredProducerFactory(certificate=earlier)  # last year's certificate only

    sample = sample_draw(cooperative=coop, year=2026, standard=organic(), seed=3, reason="Control Union")

    expected = {producer.pk for producer in organic_members + left_in_2026}
    assert sample.population == len(expected) == 14
    assert set(sample.members.values_list("producer_id", flat=True)) <= expected
    assert sample.members.count() == 10


def test_a_sample_of_a_standard_that_covers_no_one_is_refused(coop):
    covered_members(coop, 12, standard=Standard.objects.get(code="fairtrade"))
    with pytest.raises(ValidationError) as refused:
        sample_draw(cooperative=coop, year=2026, standard=organic(), seed=1, reason="Control Union")
    assert refused.value.messages == [
        "No active member is covered by a certificate of EU organic (Reg. 2018/848) in 2026: there is no one to draw."
    ]
    assert ExternalSample.objects.count() == 0


def test_a_sample_needs_a_reason(coop):
    ProducerFactory(cooperative=coop)
    with pytest.raises(ValidationError) as refused:
        sample_draw(cooperative=coop, year=2026, standard=organic(), seed=1, reason=" ")
    assert refused.value.message_dict == {
        "reason": ["Say why the sample is drawn (who asked for it, for which visit)."]
    }
    assert ExternalSample.objects.count() == 0


def test_an_inspection_keeps_the_version_it_was_answered_on(coop):
    template = ChecklistTemplate.objects.current(organic())
    inspection = InspectionFactory(producer=ProducerFactory(cooperative=coop), checklist_template=template)
    checklist_template_new_version(template=template)
    inspection.refresh_from_db()
    assert (inspection.checklist_template.version, Inspection.objects.get().checklist_template_id) == (1, template.pk)
