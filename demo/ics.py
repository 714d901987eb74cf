"""The demo cooperative's internal control system: last year's campaign finished, this year's under way.

Written after the register and the trade (demo/allima.py), through the same services
the pages call, so the demo's sanctions have their effects: the suspended family's status history,
the excluded plot's certificates. The same seed and the same day give the same rows.
"""

import datetime
import random

from django.db.models import Exists, F, OuterRef, Sum

from certifications.models import (
    ChecklistTemplate,
    CoveredPlot,
    Inspection,
    InspectionCampaign,
    NonConformity,
    Sanction,
    SanctionKind,
    SanctionType,
    Standard,
)
from certifications.services import (
    approval_decide,
    campaign_assign,
    non_conformity_close,
    sample_draw,
    sanction_impose,
)
from plots.models import Plot
from producers.models import Producer

from .base import checklist_answers

SEED = 2021279  # Reg. (EU) 2021/279, which asks for the external sample


def seed_ics(*, cooperative, today, inspectors, manager):
    """Two campaigns, non-conformities, three sanctions, approval decisions and a sample.

    The catalogue of sanctions is the register's (demo/register.py), which already
    used it on the inspections it wrote.
    """
    rng = random.Random(SEED)
    standard = Standard.objects.get(code="eu-organic")
    template = ChecklistTemplate.objects.current(standard)
    catalogue = {entry.kind: entry for entry in SanctionType.objects.filter(cooperative=cooperative, active=True)}
    active = list(
        Producer.objects.filter(cooperative=cooperative, status=Producer.Status.ACTIVE).order_by("code", "id")
    )
    last_year, this_year = today.year - 1, today.year

    finished = InspectionCampaign.objects.create(
        cooperative=cooperative,
        standard=standard,
        year=last_year,
        starts_on=datetime.date(last_year, 3, 1),
        ends_on=datetime.date(last_year, 11, 30),
    )
    members_then = [producer for producer in active if producer.entry_date <= finished.ends_on]
    _assign(finished, members_then, inspectors)
    _inspect_the_rest(finished, members_then, template, rng)
    starts_on = min(datetime.date(this_year, 3, 1), today)
    under_way = InspectionCampaign.objects.create(
        cooperative=cooperative,
        standard=standard,
        year=this_year,
        starts_on=starts_on,
        ends_on=min(datetime.date(this_year, 12, 31), max(starts_on, today + datetime.timedelta(days=45))),
    )
    _assign(under_way, active, inspectors)

    inspections = list(
        Inspection.objects.filter(
            cooperative=cooperative, producer__status=Producer.Status.ACTIVE, sanctions__isnull=True
        )
        .in_year(this_year)
        .select_related("producer")
        .order_by("date", "id")
    )
    if len(inspections) < 5:
        inspections = list(
            Inspection.objects.filter(cooperative=cooperative, producer__in=active, sanctions__isnull=True)
            .select_related("producer")
            .order_by("-date", "id")[:20]
        )
    overdue_on, closed_on, warned, excluded, suspended = rng.sample(inspections, 5)
    NonConformity.objects.create(
        cooperative=cooperative,
        inspection=overdue_on,
        description="Envases vacíos de agroquímicos del vecino junto a la quebrada, sin barrera viva.",
        severity=NonConformity.Severity.MAJOR,
        corrective_action="Sembrar una barrera viva de guaba y retirar los envases al centro de acopio.",
        deadline=max(overdue_on.date, today - datetime.timedelta(days=20)),
    )
    fixed = NonConformity.objects.create(
        cooperative=cooperative,
        inspection=closed_on,
        description="No lleva el registro de los abonos que aplica.",
        severity=NonConformity.Severity.MINOR,
        corrective_action="Llevar el cuaderno de campo con cada aplicación de compost y biol.",
        deadline=closed_on.date + datetime.timedelta(days=60),
    )
    non_conformity_close(
        non_conformity=fixed,
        closed_on=min(today, closed_on.date + datetime.timedelta(days=30)),
        evidence="Cuaderno de campo revisado en la visita de seguimiento: aplicaciones anotadas desde la visita.",
    )

    sanction_impose(
        sanction_type=catalogue[SanctionKind.WARNING],
        producer=warned.producer,
        starts_on=warned.date,
        reason="Quema de rastrojos en la parcela; primera falta.",
        inspection=warned,
        imposed_by=manager,
    )
    plot = (
        CoveredPlot.objects.filter(plot__producer=excluded.producer, excluded_on__isnull=True)
        .select_related("plot")
        .order_by("plot__code")
        .first()
    )
    if plot is not None:
        sanction_impose(
            sanction_type=catalogue[SanctionKind.PLOT_EXCLUSION],
            producer=excluded.producer,
            plot=plot.plot,
            starts_on=today,
            reason="Se encontró un saco de urea en la parcela.",
            inspection=excluded,
            imposed_by=manager,
        )
    sanction_impose(
        sanction_type=catalogue[SanctionKind.SUSPENSION],
        producer=suspended.producer,
        starts_on=today,
        reason="Entregó cacao de un vecino no socio como propio.",
        inspection=suspended,
        imposed_by=manager,
    )

    for inspection in (
        Inspection.objects.filter(cooperative=cooperative, standard=standard)
        .in_year(last_year)
        .annotate(sanctioned=Exists(Sanction.objects.filter(inspection=OuterRef("pk"))))
        .select_related("producer")
    ):
        if inspection.producer.status in (Producer.Status.ACTIVE, Producer.Status.SUSPENDED):
            approval_decide(
                producer=inspection.producer,
                standard=standard,
                year=last_year,
                decision="conditional" if inspection.sanctioned else "approved",
                decided_on=datetime.date(last_year, 12, 15),
                reason="Comité de certificación interna, acta de diciembre.",
                inspection=inspection,
                decided_by=manager,
            )
    sample_draw(
        cooperative=cooperative,
        year=this_year,
        standard=standard,
        seed=int(today.strftime("%Y%m%d")),
        reason="Muestra pedida por Control Union Perú para la visita anual de inspección externa.",
        drawn_by=manager,
    )
    return {"campaigns": 2, "sanctions": 3 if plot else 2}


def _assign(campaign, families, inspectors):
    """Families shared out among the inspectors in turn; a family never to its own member."""
    for position, producer in enumerate(families):
        inspector = inspectors[position % len(inspectors)]
        if producer.user_id == inspector.pk:
            inspector = inspectors[(position + 1) % len(inspectors)]
        campaign_assign(campaign=campaign, producers=[producer], inspector=inspector)


def _inspect_the_rest(campaign, families, template, rng):
    """Last year's campaign is finished: every active family not yet inspected that year is, by its inspector."""
    done = set(
        Inspection.objects.filter(cooperative=campaign.cooperative, standard=campaign.standard)
        .in_year(campaign.year)
        .values_list("producer_id", flat=True)
    )
    assigned = dict(campaign.assignments.values_list("producer_id", "inspector_id"))
    questions = list(template.questions.all())
    harvests = dict(
        Plot.objects.filter(producer__in=families)
        .values("producer_id")
        .annotate(kg=Sum(F("declared_area_ha") * F("estimated_yield_kg_ha")))
        .values_list("producer_id", "kg")
    )
    window = (campaign.ends_on - campaign.starts_on).days
    Inspection.objects.bulk_create(
        Inspection(
            cooperative=campaign.cooperative,
            producer=producer,
            standard=campaign.standard,
            inspector_id=assigned[producer.pk],
            date=max(producer.entry_date, campaign.starts_on + datetime.timedelta(days=rng.randrange(window))),
            checklist_template=template,
            checklist=checklist_answers(questions, harvest_kg=round(harvests.get(producer.pk) or 0)),
            findings="Sin observaciones.",
            decision=Inspection.Decision.APPROVED,
        )
        for producer in families
        if producer.pk not in done
    )
