"""What an API page costs beside the fastest way to produce the same rows (see PERFORMANCE.md).

    DATABASE_URL=postgres://... .venv/bin/python bench/api.py [--repeat 30] [--cooperative bench-050]

On the national data set (PostgreSQL), for one mid-size cooperative: the median time of
the producers, plots and deliveries list pages (100 rows) through the whole Django stack
with a real key in the header, and of one shipment's trace; beside each, the raw limit
measured in the same run: the same rows and stored fields by raw SQL, encoded by orjson.
The goal is a ratio within 2x. Everything the run creates (its key) is rolled back.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")
os.environ.setdefault("SECURE_SSL_REDIRECT", "off")
os.environ.setdefault("API_USER_RATE", "1000000/minute")  # the bench is not a partner's traffic

import django  # noqa: E402

django.setup()

import orjson  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402

from cooperatives.models import Cooperative  # noqa: E402
from cooperatives.services import partner_key_issue  # noqa: E402
from exports.models import Shipment  # noqa: E402
from harvests.models import Delivery  # noqa: E402
from plots.models import Plot  # noqa: E402
from producers.models import Producer  # noqa: E402

TARGET = 2.0
PAGE = 100


class Rollback(Exception):
    pass


def median_ms(function, repeat, warmup=5):
    for _ in range(warmup):
        function()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def raw_page(sql, params):
    """The limit: rows by raw SQL, as dicts, encoded by orjson."""

    def run():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            names = [column.name for column in cursor.description]
            rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        return orjson.dumps({"results": rows}, default=str)

    return run


def stored_columns(model, fields):
    """The table's columns for the API's fields that are stored as they are (a foreign key by its id)."""
    by_name = {f.name: f for f in model._meta.concrete_fields}
    return [by_name[name].column for name in fields if name in by_name]


def order_by(viewset, model):
    ordering = getattr(viewset, "ordering", None) or getattr(viewset.pagination_class, "ordering", None) or ["id"]
    ordering = [ordering] if isinstance(ordering, str) else ordering
    table = {f.name: f.column for f in model._meta.concrete_fields}
    return ", ".join(f"{table[name.lstrip('-')]} DESC" if name.startswith("-") else table[name] for name in ordering)


def list_case(client, basename, model, cooperative):
    """A list page through the API, and the same rows by raw SQL."""
    try:
        url = reverse(f"api:{basename}-list")
    except NoReverseMatch:
        return None
    from config.api import router

    viewset = next(v for _p, v, b in router.registry if b == basename)
    api = lambda: client.get(url, {"page_size": PAGE})  # noqa: E731
    response = api()
    assert response.status_code == 200, (url, response.status_code, response.content[:300])
    body = orjson.loads(response.content)
    fields = list(body["results"][0]) if body["results"] else ["id"]
    columns = stored_columns(model, fields)
    sql = (
        f"SELECT {', '.join(columns)} FROM {model._meta.db_table} WHERE cooperative_id = %s "
        f"ORDER BY {order_by(viewset, model)} LIMIT {PAGE}"
    )
    return api, raw_page(sql, [cooperative.pk]), f"{len(columns)} of {len(fields)} fields stored as such"


TRACE_SQL = """
SELECT sl.id AS shipment_lot_id, sl.kg AS shipped_kg, l.id AS lot_id, l.code AS lot_code,
       la.id AS allocation_id, la.kg AS allocated_kg,
       d.id AS delivery_id, d.receipt_number, d.date, d.net_kg, d.dry_kg, d.state, d.organic_status,
       p.id AS producer_id, p.code AS producer_code, p.first_name, p.last_name, p.dni,
       pl.id AS plot_id, pl.code AS plot_code, pl.name AS plot_name, pl.declared_area_ha, pl.measured_area_ha,
       pl.geometry::text AS geometry, pl.deforestation_result, pl.conversion_start,
       (SELECT json_agg(json_build_object('id', c.id, 'number', c.number, 'standard', s.code)
                        ORDER BY s.code, c.number)
          FROM certifications_coveredplot cp
          JOIN certifications_certificate c ON c.id = cp.certificate_id
          JOIN certifications_standard s ON s.id = c.standard_id
         WHERE cp.plot_id = pl.id AND d.date BETWEEN c.valid_from AND c.valid_to
           AND (cp.included_on IS NULL OR cp.included_on <= d.date)
           AND (cp.excluded_on IS NULL OR cp.excluded_on > d.date)) AS certificates
  FROM exports_shipmentlot sl
  JOIN exports_lot l ON l.id = sl.lot_id
  JOIN exports_lotallocation la ON la.lot_id = l.id
  JOIN harvests_delivery d ON d.id = la.delivery_id
  JOIN producers_producer p ON p.id = d.producer_id
  LEFT JOIN harvests_delivery_plots dp ON dp.delivery_id = d.id
  LEFT JOIN plots_plot pl ON pl.id = dp.plot_id
 WHERE sl.shipment_id = %s
 ORDER BY l.code, sl.id, d.date, la.id, pl.code
"""


def trace_case(client, shipment):
    try:
        url = reverse("api:shipment-trace", kwargs={"pk": shipment.pk})
    except NoReverseMatch:
        return None
    api = lambda: client.get(url)  # noqa: E731
    response = api()
    assert response.status_code == 200, (url, response.status_code, response.content[:300])
    return api, raw_page(TRACE_SQL, [shipment.pk]), "flat rows, geometry as stored text"


def partner_client(cooperative):
    _row, key = partner_key_issue(name=f"bench {cooperative.code}", cooperatives=[cooperative], scope="read")
    return Client(HTTP_HOST="localhost", HTTP_AUTHORIZATION=f"Api-Key {key}")


def mid_size_cooperative(code):
    if code:
        return Cooperative.objects.get(code=code)
    counts = sorted(
        (Producer.objects.filter(cooperative=c).count(), c.code, c.pk)
        for c in Cooperative.objects.filter(code__startswith="bench-")
    )
    return Cooperative.objects.get(pk=counts[len(counts) // 2][2])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--cooperative", help="code of the cooperative (default: the median bench cooperative)")
    parser.add_argument(
        "--has-data", action="store_true", help="only answer (exit status) whether the data set is there"
    )
    options = parser.parse_args()

    if connection.vendor != "postgresql":
        sys.exit(
            f"bench/api.py measures the national data set on PostgreSQL, not on {connection.vendor}: "
            "set DATABASE_URL=postgres://user:password@host:5432/minka."
        )
    if options.has_data:
        sys.exit(0 if Cooperative.objects.filter(code__startswith="bench-").exists() else 1)
    if not Cooperative.objects.filter(code__startswith="bench-").exists():
        sys.exit(
            "The national data set is missing. Build it once (about two minutes) with:\n"
            "  DATABASE_URL=... .venv/bin/python manage.py seed_demo --cooperatives 100 --families 100000"
        )
    cooperative = mid_size_cooperative(options.cooperative)
    shipment = (
        Shipment.objects.filter(shipment_lots__isnull=False)
        .annotate(n=django.db.models.Count("shipment_lots__lot__allocations"))
        .order_by("n", "id")
    )
    shipment = shipment[shipment.count() // 2] if shipment.exists() else None

    rows = []
    fixed_ms = None
    try:
        with transaction.atomic():
            # A partner's key for one cooperative, as most are (see the closing note of issue 3 on
            # keys for several cooperatives whose rows lie far apart).
            client = partner_client(cooperative)
            trace_client = partner_client(shipment.cooperative) if shipment else None
            cases = [
                (f"producers ({cooperative.code})", list_case(client, "producer", Producer, cooperative)),
                (f"plots ({cooperative.code})", list_case(client, "plot", Plot, cooperative)),
                (f"deliveries ({cooperative.code})", list_case(client, "delivery", Delivery, cooperative)),
                (
                    f"shipment {shipment.pk} trace ({shipment.cooperative.code})" if shipment else "shipment trace",
                    trace_case(trace_client, shipment) if shipment else None,
                ),
            ]
            # What every request pays before its rows: key, scope, permissions, one row of families.
            one_row = reverse("api:producer-list")
            fixed_ms = median_ms(lambda: client.get(one_row, {"page_size": 1}), options.repeat)
            for label, case in cases:
                if case is None:
                    rows.append((label, None, None, "not available"))
                    continue
                api, raw, note = case
                rows.append((label, median_ms(api, options.repeat), median_ms(raw, options.repeat), note))
            raise Rollback
    except Rollback:
        pass

    print(f"\nMedians of {options.repeat} requests after warm-up; limit = raw SQL + orjson, same run.\n")
    print("| endpoint | DRF ms | raw ms | ratio | target | note |\n|---|---:|---:|---:|---:|---|")
    for label, api_ms, raw_ms, note in rows:
        if api_ms is None:
            print(f"| {label} | not available | | | {TARGET:.0f}x | {note} |")
        else:
            ratio = api_ms / raw_ms
            verdict = "" if ratio <= TARGET else " (over)"
            print(f"| {label} | {api_ms:.1f} | {raw_ms:.1f} | {ratio:.1f}x{verdict} | {TARGET:.0f}x | {note} |")
    print(
        f"\nFixed cost of a request (key, scope, permissions, a page of one family): {fixed_ms:.1f} ms;"
        " the rest of each DRF figure above is the page itself."
    )


if __name__ == "__main__":
    main()
