"""The demo cooperative's internal control system (demo/ics.py), seeded once for the module."""

from django.core.exceptions import ValidationError
from django.utils import timezone

from certifications import selectors
from certifications.forms import checklist_answers_clean
from certifications.models import (
    ApprovalDecision,
    ChecklistTemplate,
    CoveredPlot,
    CoveredProducer,
    ExternalSample,
    Inspection,
    InspectionCampaign,
    NonConformity,
    Sanction,
    SanctionKind,
)
from producers.models import Producer


def test_last_years_campaign_is_finished_and_this_years_is_under_way(allima):
    today = timezone.localdate()
    finished = InspectionCampaign.objects.get(cooperative=allima, year=today.year - 1)
    under_way = InspectionCampaign.objects.get(cooperative=allima, year=today.year)

    done = selectors.campaign_progress(finished)
    assert (done["pending"], done["overdue"], done["due"]) == (0, 0, 0)
    assert done["done"] == done["total"] > 100
    progress = selectors.campaign_progress(under_way)
    assert progress["done"] > 0
    assert progress["pending"] + progress["overdue"] > 0
    assert progress["assigned"] > 100


def test_every_inspection_answers_the_current_checklist_of_its_standard_as_the_api_would_take_it(allima):
    inspections = (
        Inspection.objects.filter(cooperative=allima)
        .select_related("standard", "checklist_template")
        .prefetch_related("checklist_template__questions")
    )
    current = {ChecklistTemplate.objects.current(standard) for standard in {i.standard for i in inspections}}

    refused = {}
    for inspection in inspections:
        try:
            checklist_answers_clean(inspection.checklist_template, inspection.checklist)
        except ValidationError as error:
            refused[inspection.pk] = error.message_dict

    assert len(inspections) > 200
    assert {inspection.checklist_template for inspection in inspections} == current
    assert refused == {}
    failed = [i for i in inspections if any(answer is False for answer in i.checklist.values())]
    assert failed != []
    assert all(inspection.non_conformities.exists() for inspection in failed)


def test_no_inspector_is_given_his_own_family(allima):
    own = [
        assignment
        for campaign in InspectionCampaign.objects.filter(cooperative=allima)
        for assignment in campaign.assignments.select_related("producer")
        if assignment.producer.user_id == assignment.inspector_id
    ]
    assert own == []


def test_it_has_an_open_overdue_non_conformity_and_one_closed_with_evidence(allima):
    today = timezone.localdate()
    assert NonConformity.objects.for_cooperative(allima).overdue(today).count() >= 1
    closed = NonConformity.objects.for_cooperative(allima).filter(closed_on__isnull=False).exclude(closing_evidence="")
    assert closed.count() >= 1


def test_its_sanctions_have_their_effects(allima):
    sanctions = Sanction.objects.filter(cooperative=allima).select_related("producer", "inspection")
    kinds = {sanction.kind for sanction in sanctions}
    assert kinds == {SanctionKind.WARNING, SanctionKind.PLOT_EXCLUSION, SanctionKind.SUSPENSION}

    for sanction in sanctions:
        assert sanction.inspection.producer_id == sanction.producer_id
        if sanction.kind == SanctionKind.SUSPENSION:
            assert sanction.producer.status == Producer.Status.SUSPENDED
            assert sanction.producer.status_changes.filter(
                effective_date=sanction.starts_on, to_status="suspended"
            ).exists()
        elif sanction.kind == SanctionKind.PLOT_EXCLUSION:
            in_force = CoveredPlot.objects.filter(plot=sanction.plot, certificate__valid_to__gte=sanction.starts_on)
            assert set(in_force.values_list("excluded_on", flat=True)) == {sanction.starts_on}


def test_it_has_approval_decisions_and_a_sample(allima):
    year = timezone.localdate().year - 1
    assert ApprovalDecision.objects.filter(cooperative=allima, year=year, decision="approved").count() > 100
    sample = ExternalSample.objects.get(cooperative=allima)
    this_year = timezone.localdate().year
    covered = CoveredProducer.objects.filter(
        certificate__standard=sample.standard, certificate__valid_from__year__lte=this_year
    ).filter(certificate__valid_to__year__gte=this_year)
    members = Producer.objects.filter(cooperative=allima, status="active", pk__in=covered.values("producer_id"))
    uncovered = Producer.objects.filter(cooperative=allima, status="active").exclude(pk__in=members)
    assert sample.population == members.count() > 100
    assert sample.members.count() == max(10, -(-members.count() * 5 // 100))
    assert sample.members.filter(producer__in=uncovered).exists() is False
