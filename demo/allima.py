"""Allima Cacao, the demo cooperative: Chazuta (San Martín), about 200 families and 465 ha.

Figures follow the trade-press profile in DOMAIN.md; every person is made up.
The same seed and the same day give the same rows.
"""

import random
import time
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from certifications.models import Standard
from cooperatives.models import CollectionCentre, Cooperative, District
from producers.models import Producer

from . import ics, massbalance, names, register, trade
from .accounts import demo_accounts, inspector
from .base import Demo
from .fairtrade import seed_fairtrade

CODE = "allima"
SEED = 465
CHAZUTA = "220904"
# A company RUC from python-stdnum's examples: never one starting with 10, which holds a person's DNI.
RUC = "20512333797"
FAMILIES = 200


@dataclass
class Seeded:
    cooperative: Cooperative
    counts: dict  # model label → rows written
    accounts: list  # usernames created by this run
    hectares: float
    tonnes_by_year: dict
    seconds: float


def seed_allima(*, today=None):
    """Build the demo cooperative, or return None when it exists already (nothing is changed then)."""
    started = time.perf_counter()
    today = today or timezone.localdate()
    with transaction.atomic():
        if Cooperative.objects.filter(code=CODE).exists():
            return None
        district = District.objects.get(inei=CHAZUTA)
        cooperative = Cooperative.objects.create(
            name="Allima Cacao",
            code=CODE,
            ruc=RUC,
            district=district,
            address="Chazuta, San Martín",
            email="allima@example.org",
        )
        centres = {
            name: CollectionCentre.objects.create(
                cooperative=cooperative,
                name=name,
                district=district,
                community=name,
                wet_to_dry_ratio=Decimal(ratio),
            )
            for name, _, ratio in names.CENTRES
        }
        users, created = demo_accounts(cooperative)
        demo = Demo(
            rng=random.Random(SEED),
            today=today,
            cooperative=cooperative,
            standards={s.code: s for s in Standard.objects.filter(code__in=["eu-organic", "fairtrade"])},
            centres=centres,
            manager=users["gerente"],
        )
        register.families(demo, count=FAMILIES, district=district)
        inspectors = [users["campo"], inspector(cooperative, "inspector.reategui", "Lizardo", "Reátegui Isuiza")]
        # An internal inspector who is also a member: he must never inspect his own family.
        member = next(
            f.producer
            for f in demo.families
            if f.kichwa and f.producer.sex == "M" and f.producer.status == Producer.Status.ACTIVE
        )
        username = "inspector." + slugify(member.last_name.split()[0])
        member.user = inspector(cooperative, username, member.first_name, member.last_name)
        inspectors.append(member.user)
        register.plots(demo, district=district)
        register.inspections(demo, inspectors)
        register.certificates(demo)
        purchases = trade.deliveries(demo)
        trade.quality(demo, purchases)
        made = trade.lots(demo, purchases)
        trade.exports(demo, made)
        counts = demo.write()
        seed_fairtrade(demo)
        ics.seed_ics(cooperative=cooperative, today=today, inspectors=inspectors, manager=users["gerente"])
        massbalance.seed_massbalance(cooperative=cooperative, today=today)  # last: counts the rows written above
    tonnes = {}
    for purchase in purchases:
        year = purchase.delivery.date.year
        tonnes[year] = tonnes.get(year, 0) + float(purchase.dry) / 1000
    return Seeded(
        cooperative=cooperative,
        counts=counts,
        accounts=created,
        hectares=sum(float(p.declared_area_ha) for f in demo.families for p in f.plots),
        tonnes_by_year=tonnes,
        seconds=time.perf_counter() - started,
    )
