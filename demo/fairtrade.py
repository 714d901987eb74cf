"""The demo's Fairtrade premium: this year's Development Plan, its General Assembly, premium in and out.

Everything goes through fairtrade.services, as a manager's entries would, after the shipments are
written: the premium owed comes from the reference prices, never from a figure of the demo.
"""

import datetime
from decimal import ROUND_DOWN, Decimal

from exports.models import Shipment
from fairtrade import selectors, services
from fairtrade.models import DevelopmentPlan, GeneralAssembly, PremiumAccount, Project

# Premium arrives some weeks after the shipment sails; the latest shipments still owe theirs.
PAID_AFTER_DAYS = 45
# (name, description, budget in USD, approved by the assembly)
PROJECTS = [
    (
        "Secadores solares para los centros de acopio",
        "Tendales techados con plástico UV en Chazuta, Chipurana y Huimbayoc: secado parejo en época de lluvias.",
        Decimal("18000.00"),
        True,
    ),
    (
        "Asistencia técnica en poda y manejo de sombra",
        "Dos técnicos de campo durante la campaña; escuelas de campo en las comunidades.",
        Decimal("12000.00"),
        True,
    ),
    (
        "Becas escolares para hijos e hijas de los socios",
        "Útiles y pasajes para estudiantes de secundaria de las familias socias.",
        Decimal("8000.00"),
        True,
    ),
    (
        "Camioneta para el acopio",
        "Propuesta del consejo de administración; la asamblea pidió cotizaciones antes de votarla.",
        Decimal("35000.00"),
        False,
    ),
]
# (project, days after the assembly, share of its budget)
SPENDINGS = [(0, 20, "0.40"), (1, 35, "0.25"), (2, 50, "0.50"), (0, 80, "0.20")]
CENT = Decimal("0.01")


def seed_fairtrade(demo):
    """Premium received for the Fairtrade shipments that sailed long enough ago, and this year's plan."""
    cooperative, today = demo.cooperative, demo.today
    shipments = selectors.fairtrade_shipments(Shipment.objects.for_cooperative(cooperative)).order_by(
        "departure_date", "number"
    )
    for line in selectors.shipment_premiums(shipments):
        paid_on = line.shipment.departure_date + datetime.timedelta(days=PAID_AFTER_DAYS)
        if paid_on <= today and line.outstanding_usd:
            services.premium_receive(
                shipment=line.shipment,
                received_on=paid_on,
                amount_usd=line.outstanding_usd,
                reference=f"TRF-{line.shipment.number}",
            )
    assembly = GeneralAssembly.objects.create(
        cooperative=cooperative,
        date=min(datetime.date(today.year, 1, 25), today),
        session=GeneralAssembly.Session.ORDINARY,
        place="Local comunal de Chazuta",
        members_present=142,
        minutes=(
            "Asamblea General Ordinaria. Quórum: 142 de 196 socios hábiles. Punto 3: Plan de Desarrollo "
            "Fairtrade del año y uso de la prima. Se aprueban tres proyectos; la compra de una camioneta "
            "queda pendiente hasta contar con cotizaciones."
        ),
    )
    plan = DevelopmentPlan.objects.create(
        cooperative=cooperative,
        year=today.year,
        notes="Prioridades de la asamblea: calidad, asistencia técnica, educación.",
    )
    projects = []
    for name, description, budget, approved in PROJECTS:
        project = Project.objects.create(
            cooperative=cooperative, plan=plan, name=name, description=description, budget_usd=budget
        )
        if approved:
            services.project_approve(
                project=project, assembly=assembly, votes_for=118, votes_against=14, abstentions=10
            )
        projects.append(project)
    for number, (index, days, share) in enumerate(SPENDINGS, start=1):
        day = assembly.date + datetime.timedelta(days=days)
        if day > today:
            continue
        held = PremiumAccount.objects.filter(cooperative=cooperative).values_list("balance_usd", flat=True).first() or 0
        amount = min(projects[index].budget_usd * Decimal(share), held / 4).quantize(CENT, ROUND_DOWN)
        if amount <= 0:
            continue
        services.premium_spend(
            project=projects[index],
            date=day,
            amount_usd=amount,
            description=projects[index].description,
            receipt_number=f"FT-{today.year}-{number:03d}",
        )
    return plan
