"""The demo's member register: families, their households and plots, certificates, inspections."""

import datetime
import math
import zoneinfo
from decimal import Decimal

from certifications.models import (
    Certificate,
    ChecklistTemplate,
    CoveredPlot,
    CoveredProducer,
    Inspection,
    NonConformity,
    Sanction,
    SanctionKind,
    SanctionType,
)
from plots import geometry as geo
from plots.models import Plot
from producers.models import HouseholdMember, Producer, ProducerStatusChange

from . import names
from .base import Family, add_years, checklist_answers, organic_from
from .layout import Grid

Status = Producer.Status
LIMA = zoneinfo.ZoneInfo("America/Lima")
KICHWA_SHARE = 0.53
TOTAL_HA = 465
# Near Chazuta, east of the town, wholly inside the district (INEI 2007 boundary).
PLOTS_CENTRE = (-76.08, -6.58)
CELL_M = 330

# Share of each community among the families.
COMMUNITY_WEIGHTS = {
    "Chazuta": 30,
    "Aguas Verdes": 20,
    "Curiyacu": 12,
    "Pucallpillo": 10,
    "Ricardo Palma": 8,
    "Llucanayacu": 18,
    "Chipaota": 14,
    "Santa Rosa de Chipaota": 10,
    "Achinamiza": 14,
    "Callanayacu": 14,
    "Tununtunumba": 16,
}
ADMISSION = "Admisión aprobada por el Consejo de Administración."
SUSPENSIONS = [
    "Entregó cacao de terceros como propio (inspección interna).",
    "No permitió la inspección interna anual.",
    "Uso de herbicida en la parcela (inspección interna).",
]
WITHDRAWALS = [
    "Retiro voluntario.",
    "Vendió su chacra y se mudó a Tarapoto.",
    "Fallecimiento del titular; la familia no continúa.",
]


def _day_between(rng, start, end):
    return start + datetime.timedelta(days=rng.randint(0, max(0, (end - start).days)))


def _at_ten(day):
    return datetime.datetime.combine(day, datetime.time(10), tzinfo=LIMA)


def _first_names(rng, sex):
    pool = names.WOMEN if sex == "F" else names.MEN
    first = rng.choice(pool)
    if rng.random() < 0.5:
        return f"{first} {rng.choice([n for n in pool if n != first])}"
    return first


def _surname(rng, kichwa):
    return rng.choice(names.KICHWA_SURNAMES if kichwa else names.SPANISH_SURNAMES)


def families(demo, *, count, district):
    """About 200 families, 53 % Kichwa, most of them active, each with its membership history."""
    rng, today = demo.rng, demo.today
    statuses = [Status.APPLICANT] * 5 + [Status.SUSPENDED] * 5 + [Status.WITHDRAWN] * 8
    statuses += [Status.ACTIVE] * (count - len(statuses))
    rng.shuffle(statuses)
    kichwa = [True] * round(count * KICHWA_SHARE) + [False] * (count - round(count * KICHWA_SHARE))
    rng.shuffle(kichwa)
    places = list(COMMUNITY_WEIGHTS)
    communities = sorted(
        rng.choices(places, weights=COMMUNITY_WEIGHTS.values(), k=count), key=places.index
    )  # one community's families next to each other on the map
    reinstated = 2
    for number, (status, is_kichwa, community) in enumerate(zip(statuses, kichwa, communities, strict=True), 1):
        sex = "F" if rng.random() < 0.32 else "M"
        born = _day_between(rng, datetime.date(1956, 1, 1), datetime.date(2001, 12, 31))
        producer = Producer(
            cooperative=demo.cooperative,
            code=f"ALL-{number:04d}",
            first_name=_first_names(rng, sex),
            last_name=f"{_surname(rng, is_kichwa)} {_surname(rng, rng.random() < 0.5)}",
            # 9900xxxx: visibly made up, never a real person's DNI.
            dni=f"9900{number:04d}",
            sex=sex,
            birth_date=born,
            community=community,
            district=district,
            status=status,
        )
        family = Family(producer=producer, kichwa=is_kichwa)
        demo.families.append(family)
        if status == Status.APPLICANT:
            continue
        earliest = max(add_years(born, 18), datetime.date(2007, 3, 1))
        if rng.random() < 0.12:  # joined in the last three years: plots still in conversion
            earliest = max(earliest, datetime.date(today.year - 3, 1, 1))
        joined = _day_between(rng, earliest, datetime.date(today.year - 1, 6, 30))
        producer.entry_date = joined
        _change(demo, producer, Status.APPLICANT, Status.ACTIVE, joined, ADMISSION)
        if status == Status.ACTIVE and reinstated and joined.year < today.year - 2:
            reinstated -= 1
            suspended = _day_between(rng, datetime.date(today.year - 2, 3, 1), datetime.date(today.year - 2, 8, 31))
            back = suspended + datetime.timedelta(days=rng.randint(90, 200))
            _change(
                demo,
                producer,
                Status.ACTIVE,
                Status.SUSPENDED,
                suspended,
                "Entregas por encima del rendimiento estimado, pendiente de verificación.",
            )
            _change(
                demo,
                producer,
                Status.SUSPENDED,
                Status.ACTIVE,
                back,
                "Verificado en visita de campo: cosecha de una parcela nueva no registrada.",
            )
            family.spells = [(joined, suspended), (back, None)]
        elif status == Status.ACTIVE:
            family.spells = [(joined, None)]
        else:
            if status == Status.SUSPENDED:
                left = today - datetime.timedelta(days=rng.randint(20, 330))
                reason = rng.choice(SUSPENSIONS)
            else:
                left = _day_between(rng, datetime.date(today.year - 2, 2, 1), today - datetime.timedelta(days=30))
                reason = rng.choice(WITHDRAWALS)
            if left <= joined:
                producer.entry_date = joined = left - datetime.timedelta(days=rng.randint(400, 1200))
                demo.rows[ProducerStatusChange][-1].effective_date = joined
                demo.rows[ProducerStatusChange][-1].recorded_at = _at_ten(joined)
            _change(demo, producer, Status.ACTIVE, status, left, reason)
            family.spells = [(joined, left)]
    for family in demo.families:
        demo.add(family.producer)
        household(demo, family)


def _change(demo, producer, from_status, to_status, day, reason):
    demo.add(
        ProducerStatusChange(
            cooperative=demo.cooperative,
            producer=producer,
            from_status=from_status,
            to_status=to_status,
            effective_date=day,
            reason=reason,
            changed_by=demo.manager,
            recorded_at=_at_ten(day),
        )
    )


def household(demo, family):
    """Spouse, children (some of them young people of 15 to 29) and now and then a parent."""
    rng, producer = demo.rng, family.producer
    born = producer.birth_date.year
    family_name = producer.last_name.split()[0]

    def member(name, relation, sex, year):
        demo.add(
            HouseholdMember(
                cooperative=demo.cooperative,
                producer=producer,
                name=name,
                relation=relation,
                sex=sex,
                birth_year=year,
            )
        )

    if rng.random() < 0.8:
        sex = "M" if producer.sex == "F" else "F"
        name = f"{_first_names(rng, sex)} {_surname(rng, family.kichwa)} {_surname(rng, rng.random() < 0.5)}"
        member(name, HouseholdMember.Relation.SPOUSE, sex, born + rng.randint(-6, 6))
    first_child, last_child = born + 18, min(born + 42, demo.today.year - 1)
    for _ in range(rng.choices([0, 1, 2, 3, 4, 5], weights=[10, 15, 25, 25, 15, 10])[0]):
        if first_child > last_child:
            break
        sex = rng.choice("FM")
        name = f"{_first_names(rng, sex)} {family_name}"
        member(name, HouseholdMember.Relation.CHILD, sex, rng.randint(first_child, last_child))
    if rng.random() < 0.1 and born > 1965:
        sex = rng.choice("FM")
        member(
            f"{_first_names(rng, sex)} {family_name}", HouseholdMember.Relation.PARENT, sex, born - rng.randint(20, 30)
        )


def _holdings(rng, count):
    """Plot areas (ha) per family: 1 to 3 plots of 0.5 to 6 ha, about TOTAL_HA in all."""
    shapes = [rng.choices([1, 2, 3], weights=[45, 40, 15])[0] for _ in range(count)]
    areas = [[min(6.0, max(0.5, rng.lognormvariate(math.log(1.15), 0.55))) for _ in range(n)] for n in shapes]
    large = rng.sample(range(count), 8)  # EUDR rule E1: these must be polygons
    for index in large:
        areas[index][0] = rng.uniform(4.2, 6.0)
    fixed = sum(areas[index][0] for index in large)
    for _ in range(4):
        rest = sum(sum(a) for a in areas) - fixed
        scale = (TOTAL_HA - fixed) / rest
        areas = [
            [a if (index in large and k == 0) else min(3.9, max(0.5, a * scale)) for k, a in enumerate(family)]
            for index, family in enumerate(areas)
        ]
    return areas


def plots(demo, *, district):
    """Plots laid out on a grid near Chazuta; declared areas close to the measured ones, a few far off."""
    rng, today = demo.rng, demo.today
    holdings = _holdings(rng, len(demo.families))
    grid = Grid(lon=PLOTS_CENTRE[0], lat=PLOTS_CENTRE[1], cell_m=CELL_M, count=sum(map(len, holdings)), rng=rng)
    cell = 0
    varieties = names.VARIETIES
    for family, areas in zip(demo.families, holdings, strict=True):
        producer = family.producer
        for k, area in enumerate(areas, 1):
            variety, _, yields, planted = rng.choices(varieties, weights=[v[1] for v in varieties])[0]
            planting_year = rng.randint(*planted)
            if rng.random() < 0.05:  # a young plot, planted to renew an old one
                planting_year = rng.randint(today.year - 5, today.year - 3)
            tenure = rng.choices(
                [Plot.Tenure.POSSESSION, Plot.Tenure.TITLED, Plot.Tenure.COMMUNAL, Plot.Tenure.RENTED],
                weights=[50, 25, 15 if family.kichwa else 0, 5],
            )[0]
            if area <= 2 and rng.random() < 0.12:
                geometry, measured = grid.point(cell, rng), None
                declared = Decimal(area).quantize(Decimal("0.01"))
            else:
                vertices = rng.randint(7, 8) if area > 4 else rng.randint(5, 8)
                geometry = geo.validate(grid.polygon(cell, rng, area_m2=area * 10_000, vertices=vertices))
                measured = geo.geodesic_area_ha(geometry)
                declared = Decimal(float(measured) * (1 + rng.gauss(0, 0.012))).quantize(Decimal("0.01"))
            cell += 1
            plot = Plot(
                cooperative=demo.cooperative,
                producer=producer,
                code=f"{producer.code}-P{k}",
                name=f"Chacra {rng.choice(names.PLOT_NAMES)}",
                variety=variety,
                declared_area_ha=declared,
                planting_year=planting_year,
                tree_count=round(float(declared) * rng.uniform(900, 1150), -1),
                estimated_yield_kg_ha=Decimal(rng.randint(*yields)),
                tenure=tenure,
                district=district,
                geometry=geometry,
                # As Plot.clean() would: none for a point (no area to measure).
                measured_area_ha=measured,
                conversion_start=_conversion_start(rng, family, tenure, planting_year, today),
            )
            family.plots.append(plot)
            demo.add(plot)
    polygons = [p for p in demo.rows[Plot] if p.geometry["type"] == "Polygon"]
    for plot in rng.sample(polygons, 6):  # declared far from measured: flagged on the dashboard
        off = rng.choice([-1, 1]) * rng.uniform(0.12, 0.25)
        plot.declared_area_ha = (plot.measured_area_ha * Decimal(1 + off)).quantize(Decimal("0.01"))
    _assess_deforestation(demo)


def _conversion_start(rng, family, tenure, planting_year, today):
    joined = family.producer.entry_date
    if joined is None or tenure == Plot.Tenure.RENTED:
        return None  # applicants have not started; a rented plot stays conventional
    start = max(
        joined - datetime.timedelta(days=rng.randint(0, 365)),
        datetime.date(planting_year, rng.randint(1, 12), 1),
        datetime.date(2006, 1, 1),
    )
    return min(start, today)


def _assess_deforestation(demo):
    """Most plots assessed as not deforested; two inconclusive; applicants' and some others' not yet."""
    rng, today = demo.rng, demo.today
    assessable = [p for f in demo.families if f.producer.status != Status.APPLICANT for p in f.plots]
    inconclusive = {p.code for p in rng.sample(assessable, 2)}
    for plot in assessable:
        if rng.random() < 0.05:
            continue
        first = max(datetime.date(today.year - 1, 2, 1), plot.producer.entry_date)
        plot.deforestation_assessed_on = _day_between(rng, first, today - datetime.timedelta(days=1))
        if plot.code in inconclusive:
            plot.deforestation_result = Plot.DeforestationResult.INCONCLUSIVE
            plot.deforestation_method = names.INCONCLUSIVE_METHOD
        else:
            plot.deforestation_result = Plot.DeforestationResult.NOT_DEFORESTED
            plot.deforestation_method = names.ASSESSMENT_METHOD
            plot.deforestation_evidence = f"Informe SIG {plot.code}, {plot.deforestation_assessed_on:%d/%m/%Y}."


def inspections(demo, inspectors):
    """Every active family inspected once in the last twelve months, never by one of its own.

    The sanctions these inspections led to are rows of the cooperative's catalogue, written here
    with their effects already in the register: a suspended family's status history, an excluded
    plot's end in its certificates' scope (`Family.excluded_plots`, read by certificates()).
    """
    rng, today = demo.rng, demo.today
    # Answered on the version the inspection page and the API would offer today.
    template = ChecklistTemplate.objects.current(demo.standards["eu-organic"])
    questions = list(template.questions.all())
    catalogue = {
        kind: demo.add(SanctionType(cooperative=demo.cooperative, name=name, kind=kind, description=description))
        for name, kind, description in names.CATALOGUE
    }

    def sanction(inspection, kind, reason, plot=None, non_conformity=None):
        return demo.add(
            Sanction(
                cooperative=demo.cooperative,
                sanction_type=catalogue[kind],
                kind=kind,
                producer=inspection.producer,
                plot=plot,
                starts_on=inspection.date,
                reason=reason,
                inspection=inspection,
                non_conformity=non_conformity,
                imposed_by=demo.manager,
            )
        )

    since = today - datetime.timedelta(days=364)
    places = list(COMMUNITY_WEIGHTS)
    due = [
        f
        for f in demo.families
        if f.producer.status == Status.ACTIVE or (f.producer.status == Status.SUSPENDED and f.spells[-1][1] >= since)
    ]
    active = [f for f in due if f.producer.status == Status.ACTIVE and f.producer.user is None]
    with_findings = rng.sample(active, 9)
    exclusion = next(f for f in with_findings if sum(1 for p in f.plots if p.conversion_start) >= 2)
    warned = [f for f in with_findings if f is not exclusion][:2]
    for family in due:
        producer = family.producer
        suspended = producer.status == Status.SUSPENDED
        day = family.spells[-1][1] if suspended else _day_between(rng, max(since, producer.entry_date), today)
        inspector = inspectors[places.index(producer.community) % len(inspectors)]
        if producer.user == inspector:  # never one's own family
            inspector = inspectors[(inspectors.index(inspector) + 1) % len(inspectors)]
        harvest_kg = round(sum(plot.declared_area_ha * plot.estimated_yield_kg_ha for plot in family.plots))
        inspection = Inspection(
            cooperative=demo.cooperative,
            producer=producer,
            standard=demo.standards["eu-organic"],
            inspector=inspector,
            date=day,
            checklist_template=template,
            checklist=checklist_answers(questions, harvest_kg=harvest_kg),
            findings="Sin observaciones.",
            decision=Inspection.Decision.APPROVED,
        )
        demo.add(inspection)
        imposed = None
        if suspended:
            inspection.decision = Inspection.Decision.REJECTED
            inspection.findings = next(
                c.reason
                for c in demo.rows[ProducerStatusChange]
                if c.producer is producer and c.to_status == Status.SUSPENDED
            )
            imposed = sanction(inspection, SanctionKind.SUSPENSION, inspection.findings)
        elif family in with_findings:
            question = "no_prohibited_inputs" if family is exclusion else rng.choice(list(names.NON_CONFORMITIES)[:3])
            found = _non_conformity(demo, inspection, question)
            if family is exclusion:
                plot = next(p for p in family.plots if p.conversion_start)
                inspection.decision = Inspection.Decision.CONDITIONAL
                family.excluded_plots[plot.code] = day
                imposed = sanction(
                    inspection, SanctionKind.PLOT_EXCLUSION, found.description, plot=plot, non_conformity=found
                )
            elif family in warned:
                inspection.decision = Inspection.Decision.CONDITIONAL
                imposed = sanction(inspection, SanctionKind.WARNING, found.description, non_conformity=found)
        if today - day < datetime.timedelta(days=10) and imposed is None:
            inspection.decision = Inspection.Decision.PENDING


def _non_conformity(demo, inspection, question):
    description, action, evidence = names.NON_CONFORMITIES[question]
    inspection.checklist[question] = False
    if question == "buffer_zone" and "buffer_width_m" in inspection.checklist:
        inspection.checklist["buffer_width_m"] = 0  # no barrier on one side
    inspection.findings = description
    deadline = inspection.date + datetime.timedelta(days=60)
    closed = None
    if evidence and deadline < demo.today:
        closed = deadline - datetime.timedelta(days=demo.rng.randint(0, 25))
    return demo.add(
        NonConformity(
            cooperative=demo.cooperative,
            inspection=inspection,
            description=description,
            severity=NonConformity.Severity.MAJOR
            if question == "no_prohibited_inputs"
            else NonConformity.Severity.MINOR,
            corrective_action=action,
            deadline=deadline,
            closed_on=closed,
            closing_evidence=evidence if closed else "",
        )
    )


def certificates(demo):
    """EU organic (Control Union) and Fairtrade (FLOCERT) for each season, with the families and plots covered."""
    rng = demo.rng
    organic_number, flo_id = rng.randint(800_000, 899_999), rng.randint(30_000, 39_999)
    for year in demo.years:
        start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        for code, number, body, scope in (
            (
                "eu-organic",
                f"CU-{organic_number}-{year}",
                "Control Union Peru",
                "Cacao en grano (Theobroma cacao): producción y acopio por el grupo de productores.",
            ),
            (
                "fairtrade",
                f"FLO-{flo_id}-{year}",
                "FLOCERT",
                "Organización de pequeños productores: cacao en grano.",
            ),
        ):
            certificate = demo.add(
                Certificate(
                    cooperative=demo.cooperative,
                    standard=demo.standards[code],
                    number=number,
                    certification_body=body,
                    scope=scope,
                    valid_from=start,
                    valid_to=end,
                )
            )
            for family in demo.families:
                _cover(demo, certificate, family, start, end)


def _cover(demo, certificate, family, start, end):
    code = certificate.standard.code
    spells = [(max(s, start), e) for s, e in family.spells if s <= end and (e is None or e > start)]
    if not spells:
        return
    included, excluded = spells[0][0], spells[-1][1]
    plots = []
    for plot in family.plots:
        first = included
        if code == "eu-organic":
            organic = organic_from(plot)
            if organic is None or organic > end:
                continue
            first = max(first, organic)
        last = excluded
        # As services.plot_exclude does: an excluded plot leaves every standard's certificate.
        if plot.code in family.excluded_plots and family.excluded_plots[plot.code] <= end:
            last = min(last or end, family.excluded_plots[plot.code])
        if last is not None and last <= first:
            continue
        plots.append((plot, first, last))
    if not plots:
        return  # nothing of this family is certified under this standard
    if code == "eu-organic":
        included = min(first for _, first, _ in plots)
    demo.add(
        CoveredProducer(
            cooperative=demo.cooperative,
            certificate=certificate,
            producer=family.producer,
            included_on=included,
            excluded_on=excluded if excluded and excluded <= end else None,
        )
    )
    family.cover.setdefault(code, []).append((included, excluded if excluded and excluded <= end else _next(end)))
    for plot, first, last in plots:
        last = last if last and last <= end else None
        demo.add(
            CoveredPlot(
                cooperative=demo.cooperative,
                certificate=certificate,
                plot=plot,
                included_on=first,
                excluded_on=last,
            )
        )
        demo.plot_cover[code].setdefault(plot.code, []).append((first, last or _next(end)))


def _next(day):
    return day + datetime.timedelta(days=1)
