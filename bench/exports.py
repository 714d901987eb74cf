"""What the EUDR GeoJSON export of 10,000 plots costs in time and memory.

    DATABASE_URL=postgres://... .venv/bin/python bench/exports.py [--plots 10000] [--repeat 3]

On the national data set (PostgreSQL; cooperatives bench-...): the plots are streamed,
validated again after truncation and written to files in a temporary folder. Prints the
median wall time of the runs, the peak of Python's own allocations (tracemalloc, in a
separate run, since tracing slows the code down) and the process's peak resident memory.
"""

import argparse
import os
import resource
import statistics
import sys
import tempfile
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

from exports.eudr import EudrExport  # noqa: E402
from plots.models import Plot  # noqa: E402


def run(plots, folder, pseudonymise):
    job = EudrExport(plots, pseudonymise=pseudonymise)
    size = 0
    for number, chunks in enumerate(job.files(), start=1):
        with (Path(folder) / f"bench-{number}.geojson").open("wb") as file:
            for chunk in chunks:
                size += file.write(chunk)
    return job, size


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--plots", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--prefix", default="bench-", help="code prefix of the cooperatives to read")
    parser.add_argument("--pseudonymise", action="store_true")
    options = parser.parse_args()

    ids = list(
        Plot.objects.filter(cooperative__code__startswith=options.prefix)
        .order_by("cooperative_id", "id")
        .values_list("id", flat=True)[: options.plots]
    )
    if len(ids) < options.plots:
        sys.exit(f"Only {len(ids)} plots in cooperatives {options.prefix}...: run `make bench` to build the data set.")
    plots = Plot.objects.filter(id__in=ids)

    with tempfile.TemporaryDirectory() as folder:
        times = []
        for _ in range(options.repeat):
            start = time.perf_counter()
            job, size = run(plots, folder, options.pseudonymise)
            times.append(time.perf_counter() - start)
        tracemalloc.start()
        run(plots, folder, options.pseudonymise)
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux

    print(
        f"EUDR GeoJSON of {len(ids):,} plots: {job.written:,} written in {job.file_count} file(s) "
        f"({size / 1e6:.1f} MB), {len(job.errors):,} left out"
    )
    print(
        f"  time median {statistics.median(times):.2f} s of {options.repeat} "
        f"({len(ids) / statistics.median(times):,.0f} plots/s); "
        f"Python peak {peak / 1e6:.1f} MB (tracemalloc); process peak RSS {rss_mb:.0f} MB"
    )


if __name__ == "__main__":
    main()
