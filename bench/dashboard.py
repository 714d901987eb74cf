"""What the dashboard and the federation overview cost at national scale (see PERFORMANCE.md).

    DATABASE_URL=postgres://... .venv/bin/python bench/dashboard.py [--repeat 30] [--cooperative bench-050]

On the national data set (PostgreSQL): the median time of the dashboard page of the median bench
cooperative (by number of families) for its manager, of its map's GeoJSON, and of the overview
for someone who works for every bench cooperative; each through the whole Django stack (test
client, session login, middleware, templates), with its number of queries and the time those
queries took. The goal: a dashboard under 100 ms. Everything the run creates (its two users) is
rolled back.
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

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Count, IntegerField, OuterRef, Subquery  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from django.urls import reverse  # noqa: E402

from cooperatives import roles  # noqa: E402
from cooperatives.models import Cooperative, Membership  # noqa: E402
from harvests.models import Delivery  # noqa: E402
from producers.models import Producer  # noqa: E402

TARGET_MS = 100


class Rollback(Exception):
    pass


class QueryClock:
    """Counts the queries of a request and the time spent waiting for the database."""

    def __init__(self):
        self.queries, self.seconds = 0, 0.0

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.queries += 1
            self.seconds += time.perf_counter() - start


def measure(client, url, repeat, warmup=3):
    """Of `repeat` GETs after `warmup`: median and best ms, queries, median ms waiting for SQL, size."""
    for _ in range(warmup):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    times, sql_times = [], []
    for _ in range(repeat):
        clock = QueryClock()
        with connection.execute_wrapper(clock):
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        sql_times.append(clock.seconds * 1000)
    return statistics.median(times), min(times), clock.queries, statistics.median(sql_times), len(response.content)


def cpu_ms():
    """How fast this machine runs Python now: ms to add up ten million numbers (best of three).

    Shared virtual machines change speed from minute to minute; this puts the figures beside it.
    """
    times = []
    for _ in range(3):
        start = time.perf_counter()
        sum(range(10_000_000))
        times.append((time.perf_counter() - start) * 1000)
    return min(times)


def vacuumed(table):
    """VACUUM `table` if most of it is not marked all-visible, as autovacuum would after a bulk load.

    The dashboard's sums are index-only scans, which read the table for any page not yet marked
    all-visible. A live database's autovacuum marks the pages soon after loading; a benchmark
    database whose statistics were reset (a restart after a crash) may never have been vacuumed.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT relallvisible, relpages FROM pg_class WHERE relname = %s", [table])
        visible, pages = cursor.fetchone()
        if pages and visible / pages < 0.9:
            print(f"{table}: {visible:,} of {pages:,} pages marked all-visible; VACUUM (ANALYZE) first.")
            cursor.execute(f"VACUUM (ANALYZE) {connection.ops.quote_name(table)}")


def median_cooperative(code):
    """The bench cooperative of median size (by families), or the one named."""
    if code:
        return Cooperative.objects.get(code=code)
    ranked = list(
        Cooperative.objects.filter(code__startswith="bench-")
        .annotate(families=Subquery(families_of_cooperative(), output_field=IntegerField()))
        .order_by("families", "code")
    )
    return ranked[len(ranked) // 2]


def families_of_cooperative():
    return (
        Producer.objects.filter(cooperative_id=OuterRef("pk"))
        .order_by()
        .values("cooperative_id")
        .annotate(n=Count("id"))
        .values("n")
    )


def user_of(cooperatives, name):
    user = get_user_model().objects.create_user(username=name, password=None, is_staff=True)
    user.groups.add(Group.objects.get(name=roles.MANAGER))
    Membership.objects.bulk_create([Membership(user=user, cooperative=c) for c in cooperatives])
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    return client


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30, help="requests measured per page (default: %(default)s)")
    parser.add_argument(
        "--overview-repeat", type=int, default=5, help="requests of the overview measured (default: %(default)s)"
    )
    parser.add_argument("--cooperative", help="code of the cooperative (default: the median bench cooperative)")
    options = parser.parse_args()

    if connection.vendor != "postgresql":
        sys.exit(
            f"bench/dashboard.py measures the national data set on PostgreSQL, not on {connection.vendor}: "
            "set DATABASE_URL=postgres://user:password@host:5432/minka."
        )
    bench = list(Cooperative.objects.filter(code__startswith="bench-").order_by("code"))
    if not bench:
        sys.exit(
            "The national data set is missing. Build it once (about two minutes) with:\n"
            "  DATABASE_URL=... .venv/bin/python manage.py seed_demo --cooperatives 100 --families 100000"
        )
    cooperative = median_cooperative(options.cooperative)
    vacuumed(Delivery._meta.db_table)
    # Pages name their static files; a bench run has no `collectstatic` manifest to look them up in.
    plain = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    override_settings(STORAGES={**settings.STORAGES, "staticfiles": plain}).enable()

    rows = []
    try:
        with transaction.atomic():
            manager = user_of([cooperative], "bench-dashboard-manager")
            federation = user_of(bench, "bench-dashboard-federation")
            code = cooperative.code
            cases = [
                (f"dashboard ({code})", manager, reverse("dashboard", args=[code]), True, options.repeat),
                (f"map GeoJSON ({code})", manager, reverse("dashboard_plots", args=[code]), False, options.repeat),
                (f"overview ({len(bench)} coops)", federation, reverse("overview"), False, options.overview_repeat),
            ]
            for label, client, url, targeted, repeat in cases:
                rows.append((label, targeted, repeat, *measure(client, url, repeat)))
            raise Rollback
    except Rollback:
        pass

    load = os.getloadavg()[0]
    print(
        "\nMedians through the whole Django stack (test client, logged in), after warm-up; SQL ms is the time"
        f" spent waiting for the database. Load average while measuring: {load:.1f} on {os.cpu_count()} CPUs;"
        f" Python added up ten million numbers in {cpu_ms():.0f} ms.\n"
    )
    print("| page | ms | best ms | requests | queries | SQL ms | KB | target |")
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    for label, targeted, repeat, ms, best, queries, sql_ms, size in rows:
        target = f"< {TARGET_MS} ms{'' if ms < TARGET_MS else ' (over)'}" if targeted else ""
        kb = size / 1024
        print(f"| {label} | {ms:.1f} | {best:.1f} | {repeat} | {queries} | {sql_ms:.1f} | {kb:.0f} | {target} |")


if __name__ == "__main__":
    main()
