"""Writes of the internal control system (ICS) that touch more than one row or have effects elsewhere."""

import datetime
import math
import random

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from producers.models import Producer
from producers.services import producer_change_status

from .models import (
    ApprovalDecision,
    CampaignAssignment,
    ChecklistQuestion,
    ChecklistTemplate,
    CoveredPlot,
    CoveredProducer,
    ExternalSample,
    SampledMember,
    Sanction,
    SanctionKind,
)

# The external control body re-inspects at least this share of the members, never fewer than
# SAMPLE_MINIMUM, and visits this share of them unannounced (Reg. (EU) 2021/279 Art. 7).
SAMPLE_SHARE = 5
SAMPLE_MINIMUM = 10
UNANNOUNCED_SHARE = 10

# What a sanction does to the family's membership (harvests.services.certification_on reads it).
STATUS_OF_SANCTION = {
    SanctionKind.SUSPENSION: Producer.Status.SUSPENDED,
    SanctionKind.WITHDRAWAL: Producer.Status.WITHDRAWN,
}


# Inspections


def inspection_checklist_version(*, standard, template=None, inspection=None):
    """Which checklist version an inspection is answered on, as (standard, version).

    The version given (and its standard, when none is); else the inspection's own when it is of
    `standard` (an answered version is kept: a new version of the checklist never changes a finished
    inspection); else the standard's current version; None when the standard has no checklist.
    The inspection page and the API both ask here; the answers are then checked against the version
    (certifications.forms.checklist_answers_clean, ChecklistForm).
    """
    if template is None:
        own = inspection and inspection.checklist_template
        if own is not None and standard is not None and own.standard_id == standard.pk:
            template = own
        elif standard is not None:
            template = ChecklistTemplate.objects.current(standard)
    elif standard is None:
        standard = template.standard
    return standard, template


@transaction.atomic
def inspection_record(*, inspection, non_conformities=()):
    """Write an internal inspection, its checklist answered (inspection_checklist_version), with the
    non-conformities found, all or nothing; returns the inspection."""
    inspection.save()
    for non_conformity in non_conformities:
        non_conformity.inspection = inspection
        non_conformity.cooperative_id = inspection.cooperative_id
        non_conformity.save()
    return inspection


# Checklists


@transaction.atomic
def checklist_template_new_version(*, template, notes=""):
    """A copy of `template` as the standard's next version, to be changed instead of it."""
    latest = ChecklistTemplate.objects.select_for_update().filter(standard=template.standard).order_by("-version")
    version = latest.first().version + 1
    copy = ChecklistTemplate.objects.create(standard=template.standard, version=version, notes=notes)
    ChecklistQuestion.objects.bulk_create(
        ChecklistQuestion(
            template=copy,
            key=question.key,
            text=question.text,
            kind=question.kind,
            order=question.order,
            required=question.required,
        )
        for question in template.questions.order_by("order", "id")
    )
    return copy


# Campaigns


@transaction.atomic
def campaign_assign(*, campaign, producers, inspector):
    """Give these families of the campaign to `inspector` (an existing assignment changes hands).

    Refuses, naming them, the families whose member account is the inspector's own, and families
    of another cooperative; nothing is written then.
    """
    producers = list(producers)
    own = [producer for producer in producers if producer.user_id == inspector.pk]
    if own:
        raise ValidationError(
            {
                "inspector": ValidationError(
                    _("An inspector cannot inspect his or her own family: %(families)s."),
                    code="own_family",
                    params={"families": ", ".join(str(producer) for producer in own)},
                )
            }
        )
    foreign = [producer for producer in producers if producer.cooperative_id != campaign.cooperative_id]
    if foreign:
        raise ValidationError({"producers": _("These families are not members of the campaign's cooperative.")})
    assignments = []
    for producer in producers:
        assignment, _created = CampaignAssignment.objects.update_or_create(
            campaign=campaign,
            producer=producer,
            defaults={"inspector": inspector, "cooperative_id": campaign.cooperative_id},
        )
        assignments.append(assignment)
    return assignments


# Non-conformities and sanctions


@transaction.atomic
def non_conformity_close(*, non_conformity, closed_on, evidence):
    """Close a non-conformity with the evidence of its correction and the day it was closed."""
    if non_conformity.closed_on is not None:
        raise ValidationError(_("This non-conformity is already closed."), code="closed")
    non_conformity.closed_on = closed_on
    non_conformity.closing_evidence = (evidence or "").strip()
    errors = {}
    if not closed_on:
        errors["closed_on"] = ValidationError(_("Give the date the non-conformity was closed."), code="required")
    if not non_conformity.closing_evidence:
        errors["closing_evidence"] = ValidationError(
            _("Say how the non-conformity was corrected before closing it."), code="required"
        )
    if errors:
        raise ValidationError(errors)
    non_conformity.full_clean()
    non_conformity.save(update_fields=["closed_on", "closing_evidence"])
    return non_conformity


@transaction.atomic
def sanction_impose(
    *, sanction_type, producer, starts_on, reason, plot=None, inspection=None, non_conformity=None, imposed_by=None
):
    """Record a sanction of the cooperative's catalogue and apply its effects from `starts_on`.

    The effects go where certification is already decided (harvests.services.certification_on):
    a suspension or a withdrawal is a step in the family's status history dated `starts_on`; an
    excluded plot leaves, on `starts_on`, the scope of every certificate still in force then.
    A warning has no effect beyond its record.
    """
    if not sanction_type.active:
        raise ValidationError({"sanction_type": _("This sanction is no longer in the cooperative's catalogue.")})
    sanction = Sanction(
        cooperative_id=producer.cooperative_id,
        sanction_type=sanction_type,
        kind=sanction_type.kind,
        producer=producer,
        plot=plot,
        starts_on=starts_on,
        reason=reason,
        inspection=inspection,
        non_conformity=non_conformity,
        imposed_by=imposed_by,
    )
    sanction.full_clean()
    sanction.save()
    status = STATUS_OF_SANCTION.get(sanction.kind)
    if status is not None:
        try:
            producer_change_status(
                producer=producer,
                to_status=status,
                effective_date=starts_on,
                reason=_("Sanction: %(reason)s") % {"reason": reason},
                changed_by=imposed_by,
            )
        except ValidationError as error:
            # The family's status is not a field of the sanction: say it of the sanction as a whole.
            raise ValidationError(error.messages) from None
    elif sanction.kind == SanctionKind.PLOT_EXCLUSION:
        plot_exclude(plot=plot, on=starts_on)
    return sanction


def plot_exclude(*, plot, on):
    """Take `plot` out of the scope, from `on`, of each certificate that still covers it then."""
    covered = CoveredPlot.objects.select_for_update().filter(plot=plot, certificate__valid_to__gte=on)
    changed = []
    for row in covered:
        if row.excluded_on is not None and row.excluded_on <= on:
            continue
        # A plot included after `on` leaves on the day it came in: never before (the dates stay in order).
        row.excluded_on = max(on, row.included_on) if row.included_on else on
        row.save(update_fields=["excluded_on"])
        changed.append(row)
    return changed


# Approval and the external sample


@transaction.atomic
def approval_decide(
    *, producer, standard, year, decision, decided_on=None, reason="", inspection=None, decided_by=None
):
    """The ICS committee's decision on a family for a standard and a year; a new one replaces the old."""
    approval = ApprovalDecision.objects.filter(producer=producer, standard=standard, year=year).first()
    approval = approval or ApprovalDecision(producer=producer, standard=standard, year=year)
    approval.cooperative_id = producer.cooperative_id
    approval.decision = decision
    approval.decided_on = decided_on or timezone.localdate()
    approval.reason = reason
    approval.inspection = inspection
    approval.decided_by = decided_by
    approval.full_clean(validate_unique=False)
    approval.save()
    return approval


def sample_size(population):
    """(members to re-inspect, visits unannounced) among `population` active members."""
    members = min(population, max(math.ceil(population * SAMPLE_SHARE / 100), SAMPLE_MINIMUM))
    return members, math.ceil(members * UNANNOUNCED_SHARE / 100)


@transaction.atomic
def sample_draw(*, cooperative, year, standard, seed, reason, drawn_by=None):
    """Draw the external control body's sample among the members it certifies.

    The control body of `standard` re-inspects the members under its certificate: the active
    members covered, at some time in `year`, by a certificate of `standard` in force then.

    The same seed and the same members give the same draw: the members are ordered by id and
    shuffled by a generator seeded with `seed` alone, so the draw can be repeated before the
    certifier. The reason (who asked, for which visit) is kept with it.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the sample is drawn (who asked for it, for which visit).")})
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    covered = CoveredProducer.objects.in_force(first, last).filter(
        cooperative=cooperative, certificate__standard=standard
    )
    members = list(
        Producer.objects.filter(
            cooperative=cooperative, status=Producer.Status.ACTIVE, pk__in=covered.values("producer_id")
        )
        .order_by("id")
        .values_list("id", flat=True)
    )
    if not members:
        raise ValidationError(
            _("No active member is covered by a certificate of %(standard)s in %(year)s: there is no one to draw."),
            code="empty",
            params={"standard": standard, "year": year},
        )
    size, unannounced = sample_size(len(members))
    generator = random.Random(seed)
    drawn = generator.sample(members, size)
    surprise = set(generator.sample(drawn, unannounced))
    sample = ExternalSample(
        cooperative=cooperative,
        standard=standard,
        year=year,
        seed=seed,
        reason=reason,
        population=len(members),
        drawn_by=drawn_by,
    )
    sample.full_clean()
    sample.save()
    SampledMember.objects.bulk_create(
        SampledMember(
            cooperative=cooperative, sample=sample, producer_id=producer_id, unannounced=producer_id in surprise
        )
        for producer_id in sorted(drawn)
    )
    return sample
