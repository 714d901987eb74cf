"""What importing the geometries of 10,000 plots from one GeoJSON file costs in time and memory.

    DATABASE_URL=postgres://... .venv/bin/python bench/geometries.py [--plots 10000] [--repeat 3] [--profile]

Builds a cooperative with one family per two plots and the plots (each a square), then writes a
FeatureCollection that moves every plot to a new 20-corner polygon, as a GIS export would. Times the
dry run (the preview) and the import; everything runs inside one transaction that is rolled back,
so the database is left as it was. Prints the median wall time of each step, the peak of Python's
own allocations (tracemalloc, in a separate run, since tracing slows the code down) and the
process's peak resident memory. --profile prints where the import's time goes instead (cProfile).
"""

import argparse
import cProfile
import json
import math
import os
import pstats
import random
import resource
import statistics
import sys
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")
os.environ.setdefault("SECURE_SSL_REDIRECT", "off")

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402
from stdnum.pe import ruc  # noqa: E402

from cooperatives.models import Cooperative, District  # noqa: E402
from plots.geoimport import plot_geometries_import  # noqa: E402
from plots.models import Plot  # noqa: E402
from producers.models import Producer  # noqa: E402

CORNERS = 20


class Rollback(Exception):
    pass


def polygon(lon, lat, radius, rng):
    """A star-free 20-corner polygon around (lon, lat), counter-clockwise, 6 decimals."""
    ring = []
    for i in range(CORNERS):
        angle = 2 * math.pi * i / CORNERS
        r = radius * rng.uniform(0.85, 1.0)
        ring.append([round(lon + r * math.cos(angle), 6), round(lat + r * math.sin(angle), 6)])
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


def square(lon, lat, side):
    corners = [[lon, lat], [lon + side, lat], [lon + side, lat + side], [lon, lat + side], [lon, lat]]
    return {"type": "Polygon", "coordinates": [[[round(x, 6), round(y, 6)] for x, y in corners]]}


def where(i):
    """A place of its own for plot i, on a grid in San Martín (about 300 m apart)."""
    return -76.5 + (i % 100) * 0.003, -6.8 + (i // 100) * 0.003


def code(i):
    return f"G-{i:05d}"


def geojson(count):
    """The file: every plot's new polygon (about 1 ha), by its code."""
    rng = random.Random(2020)
    features = [
        {
            "type": "Feature",
            "properties": {"code": code(i)},
            "geometry": polygon(*where(i), 0.0005, rng),
        }
        for i in range(count)
    ]
    return json.dumps({"type": "FeatureCollection", "features": features}).encode()


def cooperative(count):
    """A cooperative whose `count` plots are squares of about 1 ha (what the file moves)."""
    district = District.objects.get(inei="220904")
    coop = Cooperative.objects.create(name="Bench geometries", code="bench-geo", ruc=bench_ruc(), district=district)
    families = Producer.objects.bulk_create(
        Producer(
            cooperative=coop,
            code=f"G-{i:05d}",
            dni=f"{40000000 + i:08d}",
            first_name="Rosa",
            last_name="Sangama",
            sex="F",
            district=district,
        )
        for i in range((count + 1) // 2)
    )
    Plot.objects.bulk_create(
        (
            Plot(
                cooperative=coop,
                producer=families[i // 2],
                code=code(i),
                declared_area_ha=Decimal("1.0000"),
                district=district,
                geometry=square(*where(i), 0.0009),
                measured_area_ha=Decimal("0.9900"),
            )
            for i in range(count)
        ),
        batch_size=2000,
    )
    return coop


def step(function, **kwargs):
    start = time.perf_counter()
    report = function(**kwargs)
    seconds = time.perf_counter() - start
    if report.errors:
        sys.exit(f"{'dry run' if kwargs.get('dry_run') else 'import'}: {[str(e) for e in report.errors[:3]]}")
    return seconds, report


def run(content, count, profile=None):
    """Each step's seconds, inside a transaction that is rolled back."""
    times = {}
    try:
        with transaction.atomic():
            coop = cooperative(count)
            kwargs = {"cooperative": coop, "content": content, "filename": "plots.geojson"}
            times["dry run"], report = step(plot_geometries_import, dry_run=True, **kwargs)
            if profile:
                profile.enable()
            times["import"], report = step(plot_geometries_import, **kwargs)
            if profile:
                profile.disable()
            if report.updated != count or not report.written:
                sys.exit(f"import: {report.updated} of {count} plots updated")
            raise Rollback
    except Rollback:
        pass
    return times


def bench_ruc():
    base = "2060999998"
    return base + ruc.calc_check_digit(base)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--plots", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile", action="store_true")
    options = parser.parse_args()

    content = geojson(options.plots)
    if options.profile:
        profile = cProfile.Profile()
        run(content, options.plots, profile)
        pstats.Stats(profile).sort_stats("cumulative").print_stats(40)
        pstats.Stats(profile).sort_stats("tottime").print_stats(25)
        return

    runs = [run(content, options.plots) for _ in range(options.repeat)]
    tracemalloc.start()
    run(content, options.plots)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux

    print(
        f"Geometry import of {options.plots:,} plots ({len(content) / 1e6:.1f} MB GeoJSON, {CORNERS}-corner "
        f"polygons), median of {options.repeat}:"
    )
    for name in runs[0]:
        print(f"  {name:<18} {statistics.median(r[name] for r in runs):6.2f} s")
    print(f"  Python peak {peak / 1e6:.1f} MB (tracemalloc); process peak RSS {rss_mb:.0f} MB")


if __name__ == "__main__":
    main()
