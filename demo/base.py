"""What the demo's builders share: the families being made, and writing them in bulk.

Rows are built in memory first (they refer to each other as unsaved objects),
then written model by model in an order that puts every parent before its
children; bulk_create gives each object its primary key, so the children's
foreign keys follow. bulk_create bypasses clean(): the builders set what
clean() would (each row's cooperative, a plot's measured area, a delivery's ratio).
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from certifications.models import (
    Certificate,
    ChecklistQuestion,
    CoveredPlot,
    CoveredProducer,
    Inspection,
    NonConformity,
    Sanction,
    SanctionType,
)
from exports.models import Buyer, Container, Contract, Lot, LotAllocation, Shipment, ShipmentLot
from harvests.models import Delivery, QualityAnalysis
from plots.models import CONVERSION_YEARS, Plot
from producers.models import HouseholdMember, Producer, ProducerStatusChange

# Parents before children; many-to-many tables after both of their ends.
WRITE_ORDER = [
    Producer,
    ProducerStatusChange,
    HouseholdMember,
    Plot,
    Certificate,
    CoveredProducer,
    CoveredPlot,
    Inspection,
    NonConformity,
    SanctionType,
    Sanction,
    Delivery,
    Delivery.plots.through,
    Delivery.certified_standards.through,
    QualityAnalysis,
    Buyer,
    Contract,
    Contract.standards.through,
    Lot,
    Lot.standards.through,
    LotAllocation,
    Shipment,
    Shipment.certifications_claimed.through,
    ShipmentLot,
    Container,
]
BATCH = 2000


def add_years(day, years):
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def organic_from(plot):
    """The first day a plot's harvest is organic, or None if its conversion has not started."""
    return add_years(plot.conversion_start, CONVERSION_YEARS) if plot.conversion_start else None


# What an inspector measures or counts on a family's farm in order (checklist NUMBER questions).
CHECKLIST_FIGURES = {"buffer_width_m": 8, "unregistered_plots": 0}


def checklist_answers(questions, *, harvest_kg):
    """The answers of an inspection that found the farm in order, as Inspection.checklist keeps them.

    `questions` are the checklist version's, read once by the caller for all its inspections: yes
    to every yes/no question, the figures above and the family's estimated harvest. Texts and
    photos are left unanswered, as the questions the demo does not know: a version that requires
    one makes the demo's answers fail checklist_answers_clean, which the demo's tests run.
    """
    figures = {**CHECKLIST_FIGURES, "harvest_estimate_kg": harvest_kg}
    answers = {}
    for question in questions:
        if question.kind == ChecklistQuestion.Kind.YES_NO:
            answers[question.key] = True
        elif question.kind == ChecklistQuestion.Kind.NUMBER and figures.get(question.key) is not None:
            answers[question.key] = figures[question.key]
    return answers


def covers(spans, day):
    """Whether `day` falls in one of the (start, end) spans; the end is exclusive, None is open."""
    return any(start <= day and (end is None or day < end) for start, end in spans)


@dataclass
class Family:
    """A member family as the builders see it, with what the rows do not hold directly."""

    producer: Producer
    kichwa: bool
    spells: list = field(default_factory=list)  # (start, end): periods as an active member
    plots: list = field(default_factory=list)
    cover: dict = field(default_factory=dict)  # standard code → spans covered by its certificates
    excluded_plots: dict = field(default_factory=dict)  # plot code → day its exclusion took effect
    factor: float = 1.0  # deliveries against the plots' estimated harvest

    def member_on(self, day):
        return covers(self.spells, day)


@dataclass
class Demo:
    rng: object
    today: datetime.date
    cooperative: object
    standards: dict  # code → Standard
    centres: dict  # name → CollectionCentre
    manager: object
    families: list = field(default_factory=list)
    plot_cover: dict = field(default_factory=lambda: defaultdict(dict))  # code → {plot code: spans}
    rows: dict = field(default_factory=lambda: defaultdict(list))

    @property
    def years(self):
        """The three seasons of the demo: this year and the two before."""
        return range(self.today.year - 2, self.today.year + 1)

    def add(self, obj):
        self.rows[type(obj)].append(obj)
        return obj

    def write(self):
        counts = {}
        for model in WRITE_ORDER:
            objs = self.rows.get(model, [])
            model.objects.bulk_create(objs, batch_size=BATCH)
            counts[model._meta.label] = len(objs)
        return counts
