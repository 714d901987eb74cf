import datetime

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils import timezone

from cooperatives.models import Cooperative, PartnerKey
from cooperatives.services import partner_key_issue


class Command(BaseCommand):
    help = "Issue an API key for one or more cooperatives and print it once (only its hash is stored)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--cooperative", action="append", required=True, help="Code or RUC of a cooperative (repeat for several)."
        )
        parser.add_argument("--scope", choices=PartnerKey.Scope.values, default=PartnerKey.Scope.READ)
        parser.add_argument("--name", help="Who holds the key, e.g. 'Cioccolato Italiano S.r.l.'.")
        parser.add_argument("--expires-in-days", type=int, default=365, help="0 for a key that never expires.")
        parser.add_argument("--personal-data", action="store_true", help="Let the key see members' personal data.")

    def handle(self, *args, **options):
        cooperatives = []
        for given in options["cooperative"]:
            cooperative = Cooperative.objects.filter(Q(code=given) | Q(ruc=given)).first()
            if cooperative is None:
                raise CommandError(f"No cooperative has the code or RUC {given!r}.")
            cooperatives.append(cooperative)
        days = options["expires_in_days"]
        expiry = timezone.now() + datetime.timedelta(days=days) if days > 0 else None
        name = options["name"] or f"{options['scope']} key for {', '.join(c.code for c in cooperatives)}"
        try:
            partner_key, key = partner_key_issue(
                name=name,
                cooperatives=cooperatives,
                scope=options["scope"],
                personal_data=options["personal_data"],
                expiry_date=expiry,
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        self.stderr.write(f"Issued {partner_key.name!r} ({partner_key.scope}); it is shown once, keep it safe:")
        self.stdout.write(key)
