"""The demo's trade: three seasons of deliveries, quality analyses, lots, buyers and shipments."""

import calendar
import datetime
import itertools
import math
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from django.db import connection
from stdnum import iso6346, luhn
from stdnum.gb import vat as gb_vat

from exports.models import Buyer, Container, Contract, Lot, LotAllocation, Shipment, ShipmentLot
from harvests.models import Delivery, QualityAnalysis
from plots.models import ConversionStatus, conversion_status

from . import names
from .base import covers

CENT = Decimal("0.01")
# Cocoa is picked all year, most of it from April to July and October to December.
MONTH_WEIGHTS = [3, 2, 4, 10, 14, 15, 12, 6, 5, 9, 11, 9]
# An illustrative FOB price of certified beans (USD/t) by month, for the demo only:
# the shape of the 2024 price spike, not market data. Farm-gate prices follow it.
FOB_USD_PER_T = {
    (2023, 1): 3_300,
    (2023, 7): 4_000,
    (2024, 1): 5_000,
    (2024, 4): 9_000,
    (2024, 7): 8_200,
    (2024, 12): 10_000,
    (2025, 3): 8_600,
    (2025, 7): 8_000,
    (2025, 10): 6_600,
    (2026, 1): 6_000,
    (2026, 6): 5_600,
    (2026, 11): 5_300,
}
PEN_PER_USD = 3.75
FARM_GATE_SHARE = 0.75
ORGANIC_BONUS_PEN = 0.60
STATUS_ORDER = list(ConversionStatus.values)  # conventional first, organic last


def fob_usd_per_t(day):
    """The demo's FOB price on `day`, interpolated between the months of FOB_USD_PER_T."""
    months = sorted(FOB_USD_PER_T)
    index = day.year * 12 + day.month - 1 + (day.day - 1) / 31
    points = [(y * 12 + m - 1, FOB_USD_PER_T[(y, m)]) for y, m in months]
    if index <= points[0][0]:
        return points[0][1]
    for (x0, p0), (x1, p1) in itertools.pairwise(points):
        if index <= x1:
            return p0 + (p1 - p0) * (index - x0) / (x1 - x0)
    return points[-1][1]


def dry_kg(net_kg, state, ratio):
    """The dry kilograms a lot may take from a delivery, never more than the database's dry_kg.

    PostgreSQL rounds net / ratio to the cent; SQLite keeps the float quotient,
    which can fall a hair below an exact cent (270 / 2.70 = 99.999…), so there
    the cent is cut down and an exact quotient gives up one cent.
    """
    if state == Delivery.State.DRY:
        return net_kg
    quotient = net_kg / ratio
    if connection.vendor == "postgresql":
        return quotient.quantize(CENT, ROUND_HALF_UP)
    cut = quotient.quantize(CENT, ROUND_DOWN)
    return cut - CENT if cut == quotient else cut


@dataclass
class Purchase:
    """A delivery with what lots need to know of it."""

    delivery: Delivery
    dry: Decimal
    eudr_ready: bool
    codes: tuple
    allocated: Decimal = Decimal(0)


@dataclass
class Batch:
    """A lot being filled."""

    key: tuple
    target: Decimal
    start: datetime.date
    kg: Decimal = Decimal(0)
    allocations: list = field(default_factory=list)  # (purchase, kg)


def _maturity(plot, year):
    age = year - (plot.planting_year or 0)
    return 0 if age < 2 else 0.3 if age == 2 else 0.6 if age == 3 else 1


def deliveries(demo):
    """Deliveries from each family, in line with its plots' estimated harvest; five families far above it."""
    rng, today = demo.rng, demo.today
    members = [f for f in demo.families if f.spells and f.plots]
    for family in members:
        family.factor = rng.uniform(0.95, 1.10)
    for family in rng.sample(members, 5):  # more than their plots can give: flagged for the ICS
        family.factor = rng.uniform(1.45, 1.8)
    purchases = []
    for family in members:
        home = demo.centres[names.COMMUNITIES[family.producer.community]]
        for year, weather in zip(demo.years, (0.95, 1.0, 1.03), strict=True):
            producing = [(p, _maturity(p, year)) for p in family.plots]
            producing = [(p, m) for p, m in producing if m]
            expected = sum(float(p.declared_area_ha * p.estimated_yield_kg_ha) * m for p, m in producing)
            expected *= family.factor * weather
            if not expected:
                continue
            count = max(2, min(45, round(expected / rng.uniform(90, 140))))
            shares = [rng.uniform(0.5, 1.5) for _ in range(count)]
            for share in shares:
                month = rng.choices(range(1, 13), weights=MONTH_WEIGHTS)[0]
                day = datetime.date(year, month, rng.randint(1, calendar.monthrange(year, month)[1]))
                if day > today or not family.member_on(day):
                    continue
                centre = home if rng.random() < 0.9 else rng.choice(list(demo.centres.values()))
                origin = [
                    p for p, _ in producing if family.excluded_plots.get(p.code, day + datetime.timedelta(1)) > day
                ]
                if not origin:
                    continue
                purchases.append(_purchase(demo, family, day, centre, origin, max(5.0, expected * share / sum(shares))))
    purchases.sort(key=lambda p: (p.delivery.date, p.delivery.producer.code))
    numbers = {}
    for purchase in purchases:
        delivery = purchase.delivery
        prefix = next(code for name, code, _ in names.CENTRES if name == delivery.collection_centre.name)
        key = (prefix, delivery.date.year)
        numbers[key] = numbers.get(key, 0) + 1
        delivery.receipt_number = f"{prefix}-{delivery.date.year}-{numbers[key]:05d}"
    return purchases


def _purchase(demo, family, day, centre, origin, kg):
    rng = demo.rng
    plots = [rng.choices(origin, weights=[float(p.declared_area_ha) for p in origin])[0]]
    if len(origin) > 1 and rng.random() < 0.15:
        plots = origin[:2]
    status = min((conversion_status(p.conversion_start, day) for p in plots), key=STATUS_ORDER.index)
    codes = []
    if (
        status == ConversionStatus.ORGANIC
        and covers(family.cover.get("eu-organic", []), day)
        and all(covers(demo.plot_cover["eu-organic"].get(p.code, []), day) for p in plots)
    ):
        codes.append("eu-organic")
    if covers(family.cover.get("fairtrade", []), day):
        codes.append("fairtrade")
    ratio = centre.wet_to_dry_ratio
    price = fob_usd_per_t(day) / 1000 * PEN_PER_USD * FARM_GATE_SHARE + rng.uniform(-0.4, 0.4)
    price += ORGANIC_BONUS_PEN if "eu-organic" in codes else 0
    if rng.random() < 0.35:
        state, moisture = Delivery.State.WET, None
        net = (Decimal(kg) * ratio * 2).quantize(Decimal(1)) / 2  # wet cocoa weighed to the half kilo
        price = price / float(ratio) * 0.97
    else:
        state, moisture = Delivery.State.DRY, Decimal(rng.uniform(6.5, 8.5)).quantize(Decimal("0.1"))
        net = Decimal(kg).quantize(Decimal("0.1"))
    delivery = demo.add(
        Delivery(
            cooperative=demo.cooperative,
            producer=family.producer,
            collection_centre=centre,
            date=day,
            state=state,
            net_kg=net,
            moisture_pct=moisture,
            price_pen_per_kg=Decimal(price).quantize(CENT),
            wet_to_dry_ratio=ratio,
            organic_status=status,
        )
    )
    for plot in plots:
        demo.add(Delivery.plots.through(delivery=delivery, plot=plot))
    for code in codes:
        demo.add(Delivery.certified_standards.through(delivery=delivery, standard=demo.standards[code]))
    return Purchase(delivery, dry_kg(net, state, ratio), all(p.eudr_ready for p in plots), tuple(codes))


def quality(demo, purchases):
    """A cut test for about half of the dry deliveries."""
    rng = demo.rng
    for purchase in purchases:
        delivery = purchase.delivery
        if delivery.state != Delivery.State.DRY or rng.random() > 0.45:
            continue
        cut = 100 if rng.random() < 0.85 else 300
        scale = cut // 100
        mouldy = rng.choices(range(5), weights=[40, 30, 15, 10, 5])[0] * scale
        slaty, defective = rng.randint(0, 4) * scale, rng.randint(0, 4) * scale
        violet = rng.randint(5, 22) * scale
        moisture = min(Decimal("9.0"), max(Decimal("6.0"), delivery.moisture_pct + Decimal(rng.randint(-3, 3)) / 10))
        demo.add(
            QualityAnalysis(
                cooperative=demo.cooperative,
                delivery=delivery,
                date=delivery.date,
                moisture_pct=moisture,
                bean_count=rng.randint(95, 115),
                beans_cut=cut,
                well_fermented=min(cut - mouldy - slaty - defective - violet, round(cut * rng.uniform(0.62, 0.85))),
                violet=violet,
                slaty=slaty,
                mouldy=mouldy,
                defective=defective,
            )
        )


def lots(demo, purchases):
    """Lots of 12.5 to 19.5 t, filled in order of delivery date; the last month's cocoa waits.

    Deliveries are pooled by what a lot must keep apart: EUDR-ready origin (the
    EUDR allows no mass balance), organic certification and Fairtrade. A
    delivery that does not fit whole goes partly into the next lot.
    """
    rng, cutoff = demo.rng, demo.today - datetime.timedelta(days=30)
    pools = {}
    for purchase in purchases:
        if purchase.delivery.date <= cutoff:
            key = (purchase.eudr_ready, "eu-organic" in purchase.codes, "fairtrade" in purchase.codes)
            pools.setdefault(key, []).append(purchase)
    batches = []
    for key in sorted(pools, reverse=True):
        batch = None
        for purchase in pools[key]:
            day = purchase.delivery.date
            if batch and (day - batch.start).days > 120 and batch.kg >= 3000:
                batches.append(batch)
                batch = None
            left = purchase.dry
            while left > 0:
                if batch is None:
                    batch = Batch(key, Decimal(rng.randint(12_500, 19_500)), day)
                take = min(left, batch.target - batch.kg)
                batch.allocations.append((purchase, take))
                batch.kg += take
                left -= take
                if batch.kg >= batch.target:
                    batches.append(batch)
                    batch = None
        if batch and batch.kg >= 3000:
            batches.append(batch)  # still in the warehouse
    made = []
    for batch in batches:
        dates = [p.delivery.date for p, _ in batch.allocations]
        batch.start, batch.end = min(dates), max(dates)
    batches.sort(key=lambda b: (b.end, b.start, b.key))
    serial = {}
    for batch in batches:
        eudr, organic, fairtrade = batch.key
        serial[batch.end.year] = serial.get(batch.end.year, 0) + 1
        lot = demo.add(
            Lot(
                cooperative=demo.cooperative,
                code=f"L-{batch.end.year}-{serial[batch.end.year]:03d}",
                production_start=batch.start,
                production_end=batch.end,
                eudr_segregated=eudr,
                fairtrade_mode=Lot.FairtradeMode.SEGREGATED if fairtrade else Lot.FairtradeMode.NONE,
                notes="Fermentado 6 días en cajones de madera; secado en tendal solar.",
            )
        )
        for code, wanted in (("eu-organic", organic), ("fairtrade", fairtrade)):
            if wanted:
                demo.add(Lot.standards.through(lot=lot, standard=demo.standards[code]))
        for purchase, kg in batch.allocations:
            purchase.allocated += kg
            demo.add(LotAllocation(cooperative=demo.cooperative, lot=lot, delivery=purchase.delivery, kg=kg))
        made.append((lot, batch))
    for purchase in purchases:
        purchase.delivery.allocated_kg = purchase.allocated
    return made


def _italian_vat(rng):
    digits = f"0{rng.randint(100000, 999999)}{rng.randint(1, 99):03d}"
    return "IT" + digits + luhn.calc_check_digit(digits)


def _british_vat(rng):
    number = rng.randint(100_000_000, 999_999_999)
    while not gb_vat.is_valid(f"GB{number}"):
        number += 1
    return f"GB{number}"


def _container_number(rng):
    owner = rng.choice(["MSKU", "MSCU", "HLBU", "CMAU", "ONEU", "TGHU"])
    serial = f"{owner}{rng.randint(0, 999_999):06d}"
    return serial + iso6346.calc_check_digit(serial)


def exports(demo, made):
    """Buyers in Italy and the United Kingdom; a contract a year each; lots shipped some weeks after drying."""
    rng, today = demo.rng, demo.today
    italian_vat, british_vat = _italian_vat(rng), _british_vat(rng)
    italy = demo.add(
        Buyer(
            cooperative=demo.cooperative,
            name="Cacao Demo Italia S.r.l.",
            country="IT",
            eori=italian_vat,
            vat_number=italian_vat,
            address="Via dell'Esempio 12, 10121 Torino, Italia",
            contact_email="acquisti@example.it",
        )
    )
    britain = demo.add(
        Buyer(
            cooperative=demo.cooperative,
            name="Demo Chocolate Makers Ltd",
            country="GB",
            eori=f"{british_vat}000",
            vat_number=british_vat,
            address="1 Example Street, Bristol BS1 1AA, United Kingdom",
            contact_email="sourcing@example.co.uk",
        )
    )
    required = {"IT": ("eu-organic", "fairtrade"), "GB": ("fairtrade",)}
    shipments, queue = [], []
    for lot, batch in made:
        departure = batch.end + datetime.timedelta(days=rng.randint(20, 45))
        if departure > today:
            continue  # not shipped yet
        eudr, organic, _ = batch.key
        buyer = italy if eudr and organic and rng.random() < 0.75 else britain
        if queue and queue[0][2] is buyer and rng.random() < 0.4:
            queue.append((lot, batch, buyer, departure))
            shipments.append(queue)
            queue = []
            continue
        if queue:
            shipments.append(queue)
        queue = [(lot, batch, buyer, departure)]
    if queue:
        shipments.append(queue)
    contracts, serial = {}, {}
    for group in shipments:
        buyer, departure = group[0][2], group[-1][3]
        year = departure.year
        contract = contracts.get((buyer.country, year))
        if contract is None:
            signed = min(datetime.date(year, 1, rng.randint(8, 28)), departure - datetime.timedelta(days=20))
            contract = contracts[(buyer.country, year)] = demo.add(
                Contract(
                    cooperative=demo.cooperative,
                    buyer=buyer,
                    number=f"C-{year}-{buyer.country}",
                    signed_on=signed,
                    quantity_kg=Decimal(0),
                    price_usd_per_t=Decimal(round(fob_usd_per_t(signed), -1)),
                    incoterm=Contract.Incoterm.FOB,
                    delivery_from=datetime.date(year, 1, 1),
                    delivery_to=datetime.date(year, 12, 31),
                )
            )
            for code in required[buyer.country]:
                demo.add(Contract.standards.through(contract=contract, standard=demo.standards[code]))
        net = sum(batch.kg for _, batch, _, _ in group)
        contract.quantity_kg += net
        serial[year] = serial.get(year, 0) + 1
        claimed = [code for code in required[buyer.country] if all(_holds(b, code) for _, b, _, _ in group)]
        shipment = demo.add(
            Shipment(
                cooperative=demo.cooperative,
                contract=contract,
                number=f"EXP-{year}-{serial[year]:03d}",
                departure_date=departure,
                destination_country=buyer.country,
                bags=round(net / Decimal(rng.uniform(62.5, 66.5))),
                net_kg=net,
                price_usd_per_t=contract.price_usd_per_t,
                dds_reference=_dds(rng, departure)
                if buyer is italy and all(b.key[0] for _, b, _, _ in group) and departure.year >= today.year - 1
                else "",
            )
        )
        for code in claimed:
            demo.add(Shipment.certifications_claimed.through(shipment=shipment, standard=demo.standards[code]))
        for lot, batch, _, _ in group:
            demo.add(ShipmentLot(cooperative=demo.cooperative, shipment=shipment, lot=lot, kg=batch.kg))
        for _ in range(math.ceil(net / 19_500)):
            demo.add(
                Container(
                    cooperative=demo.cooperative,
                    shipment=shipment,
                    number=_container_number(rng),
                    seal=f"PE{rng.randint(1_000_000, 9_999_999)}",
                )
            )
    for contract in contracts.values():
        # Sold in full loads of 12.5 t; this year's contracts still have some to ship.
        loads = math.ceil(contract.quantity_kg / 12_500) + (contract.signed_on.year == today.year)
        contract.quantity_kg = Decimal(loads * 12_500)


def _holds(batch, code):
    """Whether a lot's cocoa is certified under `code` (its pool key: EUDR, organic, Fairtrade)."""
    return batch.key[1] if code == "eu-organic" else batch.key[2]


def _dds(rng, departure):
    letters = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return f"{departure:%y}IT" + "".join(rng.choice(letters) for _ in range(10))
