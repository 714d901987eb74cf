"""`manage.py seed_demo`: the demo cooperative, and national-scale data for benchmarks."""

from django.core.management.base import BaseCommand

from cooperatives.services import partner_key_issue
from demo import national
from demo.accounts import ACCOUNTS, DEMO_PASSWORD
from demo.allima import seed_allima


class Command(BaseCommand):
    help = (
        "Create the demo cooperative Allima Cacao (Chazuta) with its families, plots, certificates, "
        "inspections, deliveries, lots and shipments, and one login per role. Does nothing if it exists. "
        "With --cooperatives, also create that many benchmark cooperatives (bench-001, ...)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--cooperatives",
            type=int,
            default=0,
            help="Also create this many benchmark cooperatives (codes bench-001, bench-002, ...).",
        )
        parser.add_argument(
            "--families",
            type=int,
            default=None,
            help="Member families across the benchmark cooperatives (default: 1,000 each).",
        )
        parser.add_argument(
            "--deliveries",
            type=int,
            default=national.DELIVERIES_PER_FAMILY,
            help="Deliveries per benchmark family over three seasons (default: %(default)s).",
        )

    def handle(self, *args, cooperatives, families, deliveries, **options):
        seeded = seed_allima()
        if seeded is None:
            self.stdout.write("The demo cooperative Allima Cacao exists already: left as it is.")
        else:
            self._report(seeded)
        if cooperatives:
            families = national.FAMILIES_PER_COOPERATIVE * cooperatives if families is None else families
            national.seed_national(
                cooperatives=cooperatives,
                families=families,
                deliveries_per_family=deliveries,
                log=self.stdout.write,
            )

    def _report(self, seeded):
        counts = seeded.counts
        self.stdout.write(
            self.style.SUCCESS(f"Created the demo cooperative {seeded.cooperative} in {seeded.seconds:.1f} s:")
        )
        self.stdout.write(
            f"  {counts['producers.Producer']} families, {counts['plots.Plot']} plots ({seeded.hectares:.0f} ha), "
            f"{counts['certifications.Inspection']} inspections, {counts['harvests.Delivery']} deliveries, "
            f"{counts['exports.Lot']} lots, {counts['exports.Shipment']} shipments"
        )
        bought = ", ".join(f"{year}: {tonnes:.0f} t" for year, tonnes in sorted(seeded.tonnes_by_year.items()))
        self.stdout.write(f"  Dry cocoa bought: {bought}")
        if seeded.accounts:
            self.stdout.write(
                self.style.WARNING(f"Demo logins (password {DEMO_PASSWORD!r}, for the demo only, never in production):")
            )
            for username, _, _, role in ACCOUNTS:
                if username in seeded.accounts:
                    self.stdout.write(f"  {username:<10} {role or 'superuser'}")
            _, key = partner_key_issue(name="Demo partner", cooperatives=[seeded.cooperative], scope="read")
            self.stdout.write(self.style.WARNING("Demo API key (read only, shown once, for the demo only):"))
            self.stdout.write(f"  Authorization: Api-Key {key}")
