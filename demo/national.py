"""Cooperatives at national scale for benchmarks: bench-001, bench-002, ... (PERFORMANCE.md).

Families, plots (two each, 20-corner polygons) and deliveries (about twenty a
family over three seasons), loaded with COPY on PostgreSQL and executemany
elsewhere. Each cooperative is loaded in its own transaction, so an
interrupted run leaves whole cooperatives only, and a cooperative that exists
is skipped: running it again completes what is missing.

The loader reserves primary keys before writing (from the sequence on
PostgreSQL, after the highest id elsewhere) so that children can refer to
parents without reading them back. It is meant for a benchmark database, not
for one that others write to at the same time.
"""

import calendar
import datetime
import io
import json
import math
import random
import time
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import GeneratedField
from django.utils import timezone
from stdnum.pe import ruc

from cooperatives.models import CollectionCentre, Cooperative, District
from harvests.models import Delivery
from plots import geometry as geo
from plots.models import ConversionStatus, Plot
from producers.models import Producer

from . import names
from .layout import Grid
from .trade import FARM_GATE_SHARE, MONTH_WEIGHTS, PEN_PER_USD, fob_usd_per_t

FAMILIES_PER_COOPERATIVE = 1000
DELIVERIES_PER_FAMILY = 20
PLOTS_PER_FAMILY = 2
VERTICES = 20
CELL_M = 190
COCOA_DEPARTMENTS = [
    "SAN MARTIN",
    "AMAZONAS",
    "HUANUCO",
    "UCAYALI",
    "JUNIN",
    "PASCO",
    "CUSCO",
    "AYACUCHO",
    "LORETO",
    "CAJAMARCA",
    "PIURA",
    "TUMBES",
    "PUNO",
    "MADRE DE DIOS",
]
CHAZUTA = "220904"  # the demo cooperative's plots lie there


def seed_national(*, cooperatives, families, deliveries_per_family=DELIVERIES_PER_FAMILY, log=print, today=None):
    """Create what is missing of `cooperatives` benchmark cooperatives sharing `families` families."""
    today = today or timezone.localdate()
    started = time.perf_counter()
    sizes = [families // cooperatives + (i < families % cooperatives) for i in range(cooperatives)]
    places = _places(cooperatives, max(sizes, default=0))
    existing = set(Cooperative.objects.filter(code__startswith="bench-").values_list("code", flat=True))
    totals = dict.fromkeys(("families", "plots", "deliveries"), 0)
    for number, (size, district) in enumerate(zip(sizes, places, strict=True), 1):
        code = f"bench-{number:03d}"
        if code in existing:
            log(f"{code} exists already: skipped")
            continue
        began = time.perf_counter()
        with transaction.atomic():
            made = _cooperative(
                number, code, size, district, deliveries_per_family, today, random.Random(f"minka-{code}")
            )
        for key in totals:
            totals[key] += made[key]
        log(
            f"{code}: {made['families']:,} families, {made['plots']:,} plots, "
            f"{made['deliveries']:,} deliveries ({time.perf_counter() - began:.1f} s)"
        )
    log(
        f"Benchmark cooperatives: {totals['families']:,} families, {totals['plots']:,} plots, "
        f"{totals['deliveries']:,} deliveries created in {time.perf_counter() - started:.0f} s"
    )
    return totals


def _places(count, families):
    """A district for each cooperative, far enough apart that no two cooperatives' plots overlap."""
    plots = families * PLOTS_PER_FAMILY
    extent = math.ceil(math.sqrt(plots / 0.88)) * CELL_M / 110_000  # degrees across one grid
    districts = list(
        District.objects.filter(department__in=COCOA_DEPARTMENTS, latitude__isnull=False)
        .exclude(inei=CHAZUTA)
        .order_by("inei")
    )
    chosen = []
    for district in districts:
        lat, lon = float(district.latitude), float(district.longitude)
        if all(max(abs(lat - a), abs(lon - b)) > extent + 0.01 for a, b, _ in chosen):
            chosen.append((lat, lon, district))
        if len(chosen) == count:
            break
    # Past what the map holds, later cooperatives sit in a row east of the last district.
    while len(chosen) < count:
        lat, lon, district = chosen[len(chosen) % len(chosen)]
        chosen.append((lat, lon + (extent + 0.02) * (len(chosen) // len(districts) + 1), district))
    return [(district, lat, lon) for lat, lon, district in chosen]


def _ruc(number):
    body = f"2099{number:06d}"
    return body + ruc.calc_check_digit(body)


def _cooperative(number, code, size, place, per_family, today, rng):
    district, lat, lon = place
    stamp = _timestamp(timezone.now())
    cooperative = Cooperative.objects.create(
        name=f"Cooperativa Agraria Bench {number:03d}", code=code, ruc=_ruc(number), district=district
    )
    centres = [
        CollectionCentre.objects.create(
            cooperative=cooperative, name=f"Centro {k}", district=district, wet_to_dry_ratio=Decimal(ratio)
        )
        for k, ratio in ((1, "2.70"), (2, "2.80"))
    ]
    # Values are written as the database reads them (text for numbers and dates):
    # formatting a float once is much cheaper than a Decimal and an adapter.
    producer_ids = _reserve(Producer, size)
    statuses = [Producer.Status.ACTIVE, Producer.Status.APPLICANT, Producer.Status.SUSPENDED, Producer.Status.WITHDRAWN]
    surnames = names.KICHWA_SURNAMES + names.SPANISH_SURNAMES
    communities = list(names.COMMUNITIES)
    producers = []
    for index, pk in enumerate(producer_ids, 1):
        sex = "F" if rng.random() < 0.3 else "M"
        producers.append(
            (
                pk,
                cooperative.pk,
                f"B-{index:06d}",
                rng.choice(names.WOMEN if sex == "F" else names.MEN),
                f"{rng.choice(surnames)} {rng.choice(names.SPANISH_SURNAMES)}",
                f"98{index:06d}",  # made up, as in the demo
                sex,
                f"{rng.randint(1956, 2001)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                rng.choice(communities),
                district.pk,
                f"{rng.randint(2008, today.year - 1)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                rng.choices(statuses, weights=[92, 3, 3, 2])[0],
                stamp,
            )
        )
    _insert(
        Producer,
        "id cooperative code first_name last_name dni sex birth_date community district entry_date status modified",
        producers,
    )
    grid = Grid(lon=lon, lat=lat, cell_m=CELL_M, count=size * PLOTS_PER_FAMILY, rng=rng)
    plot_ids = _reserve(Plot, size * PLOTS_PER_FAMILY)
    assessed = f"{today.year - 1}-06-01"
    plots, family_plots = [], []
    for family, producer in enumerate(producers):
        mine = []
        for k in range(PLOTS_PER_FAMILY):
            cell = family * PLOTS_PER_FAMILY + k
            area = min(2.5, max(0.5, rng.lognormvariate(math.log(1.1), 0.45)))
            geometry = grid.polygon(cell, rng, area_m2=area * 10_000, vertices=VERTICES)
            ring = geometry["coordinates"][0]
            # What plots.geometry.geodesic_area_ha gives for a counter-clockwise ring, without shapely.
            square_metres = geo.GEOD.polygon_area_perimeter([p[0] for p in ring], [p[1] for p in ring])[0]
            measured = square_metres / 10_000
            variety, _, yields, planted = rng.choices(names.VARIETIES, weights=[v[1] for v in names.VARIETIES])[0]
            plots.append(
                (
                    plot_ids[cell],
                    cooperative.pk,
                    producer[0],
                    f"{producer[2]}-P{k + 1}",
                    variety,
                    f"{measured * (1 + rng.gauss(0, 0.012)):.2f}",
                    rng.randint(*planted),
                    rng.randint(*yields),
                    district.pk,
                    json.dumps(geometry, separators=(",", ":")),
                    str(Decimal(measured).quantize(Decimal("0.0001"))),
                    "2012-01-01",
                    Plot.DeforestationResult.NOT_DEFORESTED,
                    names.ASSESSMENT_METHOD,
                    assessed,
                    stamp,
                )
            )
            mine.append(plot_ids[cell])
        family_plots.append(mine)
    _insert(
        Plot,
        "id cooperative producer code variety declared_area_ha planting_year estimated_yield_kg_ha district "
        "geometry measured_area_ha conversion_start deforestation_result deforestation_method "
        "deforestation_assessed_on modified",
        plots,
    )
    months = [
        (y, m)
        for y in range(today.year - 2, today.year + 1)
        for m in range(1, 13)
        if (y, m) <= (today.year, today.month)
    ]
    count = size * per_family
    picked = rng.choices(months, weights=[MONTH_WEIGHTS[m - 1] for _, m in months], k=count)
    prices = {}
    delivery_ids = _reserve(Delivery, count)
    deliveries, origins = [], []
    random_ = rng.random
    for n, (pk, (year, month)) in enumerate(zip(delivery_ids, picked, strict=True)):
        family = n % size
        last = today.day if (year, month) == (today.year, today.month) else calendar.monthrange(year, month)[1]
        day = datetime.date(year, month, 1 + int(random_() * last))
        if day not in prices:
            prices[day] = fob_usd_per_t(day) / 1000 * PEN_PER_USD * FARM_GATE_SHARE
        centre = centres[family % 2]
        ratio = float(centre.wet_to_dry_ratio)
        dry = 30 + 220 * random_()
        price = prices[day] + 0.8 * random_() - 0.4
        wet = random_() < 0.3
        deliveries.append(
            (
                pk,
                cooperative.pk,
                f"R-{n + 1:07d}",
                producers[family][0],
                centre.pk,
                day.isoformat(),
                "wet" if wet else "dry",
                f"{dry * ratio:.1f}" if wet else f"{dry:.1f}",
                None if wet else f"{6.5 + 2 * random_():.1f}",
                f"{price / ratio * 0.97:.2f}" if wet else f"{price:.2f}",
                centre.wet_to_dry_ratio,
                ConversionStatus.ORGANIC,
                stamp,
            )
        )
        origins.append((pk, family_plots[family][int(random_() * PLOTS_PER_FAMILY)]))
    _insert(
        Delivery,
        "id cooperative receipt_number producer collection_centre date state net_kg moisture_pct price_pen_per_kg "
        "wet_to_dry_ratio organic_status modified",
        deliveries,
    )
    through = Delivery.plots.through
    ids = _reserve(through, count)
    _insert(through, "id delivery plot", [(pk, *pair) for pk, pair in zip(ids, origins, strict=True)])
    return {"families": size, "plots": len(plots), "deliveries": count}


def _timestamp(moment):
    """A datetime as the database reads it: SQLite keeps naive UTC text."""
    if connection.vendor == "postgresql":
        return moment.isoformat()
    return connection.ops.adapt_datetimefield_value(moment)


def _reserve(model, count):
    """`count` primary keys nobody else will be given."""
    table = connection.ops.quote_name(model._meta.db_table)
    if not count:
        return range(0)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, 'id'), nextval(pg_get_serial_sequence(%s, 'id')) + %s - 1)",
                [model._meta.db_table, model._meta.db_table, count],
            )
            last = cursor.fetchone()[0]
            return range(last - count + 1, last + 1)
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
        first = cursor.fetchone()[0] + 1
        return range(first, first + count)


def _insert(model, field_names, rows):
    """Write rows, tuples of the values of `field_names` (space-separated) as the database reads them.

    Every other column takes its field's default; a column with neither fails here,
    not in the database.
    """
    fields = [model._meta.get_field(name) for name in field_names.split()]
    given = {f.column for f in fields}
    rest = [f for f in model._meta.concrete_fields if f.column not in given and not isinstance(f, GeneratedField)]
    missing = [f.name for f in rest if not f.has_default() and not f.null and not f.blank]
    if missing:
        raise ValueError(f"{model._meta.label}: no value and no default for {', '.join(missing)}")
    defaults = tuple(_plain(f.get_default()) for f in rest)
    columns = [f.column for f in fields + rest]
    table = connection.ops.quote_name(model._meta.db_table)
    column_list = ", ".join(connection.ops.quote_name(c) for c in columns)
    if connection.vendor == "postgresql":
        _copy(table, column_list, len(columns), (row + defaults for row in rows))
        return
    placeholders = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {table} ({column_list}) VALUES ({placeholders})"
    with connection.cursor() as cursor:
        batch = []
        for row in rows:
            batch.append(tuple(map(_plain, row)) + defaults)
            if len(batch) == 5000:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)


def _plain(value):
    """A value any database driver takes: text for a number with decimals, a date or a JSON object."""
    if value is None or isinstance(value, (int, str)):
        return value
    if isinstance(value, dict):
        return json.dumps(value, separators=(",", ":"))
    return str(value)


_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_line(row, tabs):
    line = "\t".join(["\\N" if v is None else v if type(v) is str else str(v) for v in row])
    if line.count("\t") != tabs or line.count("\\") != row.count(None) or "\n" in line or "\r" in line:
        # Rare: a value holds a character COPY's text format reserves; escape each value.
        line = "\t".join(["\\N" if v is None else str(v).translate(_ESCAPES) for v in row])
    return line


def _copy(table, column_list, width, rows):
    buffer = io.StringIO()
    tabs = width - 1
    for row in rows:
        buffer.write(_copy_line(row, tabs))
        buffer.write("\n")
    buffer.seek(0)
    sql = f"COPY {table} ({column_list}) FROM STDIN"
    with connection.cursor() as cursor:
        raw = cursor.cursor
        if hasattr(raw, "copy_expert"):  # psycopg2
            raw.copy_expert(sql, buffer)
        else:  # psycopg 3
            with raw.copy(sql) as copy:
                copy.write(buffer.getvalue())
