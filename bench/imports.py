"""What importing 10,000 families and their plots from spreadsheets costs in time and memory.

    DATABASE_URL=postgres://... .venv/bin/python bench/imports.py [--families 10000] [--repeat 3]

Writes a family list (CSV) and a plot list (one or two plots a family, CSV) as a cooperative's
office would, then for a new cooperative: checks each file (the preview), imports it, and
imports it again (every row unchanged). Everything runs inside one transaction that is rolled
back, so the database is left as it was. Prints the median wall time of each step, the peak of
Python's own allocations (tracemalloc, in a separate run, since tracing slows the code down)
and the process's peak resident memory.
"""

import argparse
import csv
import io
import os
import random
import resource
import statistics
import sys
import time
import tracemalloc
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
from plots.imports import COLUMNS as PLOT_COLUMNS  # noqa: E402
from plots.imports import plots_import  # noqa: E402
from producers.imports import COLUMNS as FAMILY_COLUMNS  # noqa: E402
from producers.imports import producers_import  # noqa: E402

FIRST = ["Rosa Elvira", "José", "María Jesús", "Juan", "Elvira", "Segundo", "Lucía", "Andrés"]
LAST = ["Tapullima", "Sangama", "Ríos", "Peña", "Panaifo", "Amasifuén", "Tuanama", "Salas"]


class Rollback(Exception):
    pass


def files(families):
    """The family list and the plot list (CSV bytes), and how many plots the second holds."""
    rng = random.Random(2020)
    people, plots = io.StringIO(), io.StringIO()
    family_sheet, plot_sheet = csv.writer(people, delimiter=";"), csv.writer(plots, delimiter=";")
    family_sheet.writerow([header for header, _others in FAMILY_COLUMNS.values()])
    plot_sheet.writerow([header for header, _others in PLOT_COLUMNS.values()])
    count = 0
    for i in range(families):
        dni = f"{40000000 + i:08d}"
        birth = f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{rng.randint(1950, 2000)}"
        family_sheet.writerow([
            f"B-{i:05d}", dni, rng.choice(FIRST), f"{rng.choice(LAST)} {rng.choice(LAST)}", rng.choice("FM"), birth,
            f"9{rng.randint(10_000_000, 99_999_999)}", "Aguas Verdes", "220904", "01/03/2015", "activo",
        ])  # fmt: skip
        for j in range(1 + i % 2):
            area = f"{rng.uniform(0.3, 4):.2f}".replace(".", ",")
            plot_sheet.writerow([
                f"B-{i:05d}-{j + 1}", dni, "La Loma", "cacao", "CCN-51", area, "2012", "1300", "800",
                "posesión", "220904", "01/01/2016",
            ])  # fmt: skip
            count += 1
    return people.getvalue().encode("utf-8-sig"), plots.getvalue().encode("utf-8-sig"), count


def run(family_file, plot_file):
    """Each step's seconds, inside a transaction that is rolled back."""
    times = {}
    try:
        with transaction.atomic():
            coop = Cooperative.objects.create(
                name="Bench import", code="bench-import", ruc=bench_ruc(), district=District.objects.get(inei="220904")
            )
            steps = (("families", producers_import, family_file), ("plots", plots_import, plot_file))
            for name, function, content in steps:
                for step, dry_run in (("preview", True), ("import", False), ("again", False)):
                    start = time.perf_counter()
                    report = function(cooperative=coop, content=content, filename=f"{name}.csv", dry_run=dry_run)
                    times[f"{name} {step}"] = time.perf_counter() - start
                    if report.errors:
                        sys.exit(f"{name} {step}: {report.errors[:3]}")
            raise Rollback
    except Rollback:
        pass
    return times


def bench_ruc():
    base = "2060999999"
    return base + ruc.calc_check_digit(base)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--families", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()

    family_file, plot_file, plot_count = files(options.families)
    runs = [run(family_file, plot_file) for _ in range(options.repeat)]
    tracemalloc.start()
    run(family_file, plot_file)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux

    print(
        f"Import of {options.families:,} families ({len(family_file) / 1e6:.1f} MB CSV) and "
        f"{plot_count:,} plots ({len(plot_file) / 1e6:.1f} MB CSV), median of {options.repeat}:"
    )
    for step in runs[0]:
        print(f"  {step:<18} {statistics.median(r[step] for r in runs):6.2f} s")
    both = statistics.median(r["families import"] + r["plots import"] for r in runs)
    print(f"  families + plots imported in {both:.2f} s")
    print(f"  Python peak {peak / 1e6:.1f} MB (tracemalloc); process peak RSS {rss_mb:.0f} MB")


if __name__ == "__main__":
    main()
