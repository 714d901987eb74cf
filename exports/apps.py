from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExportsConfig(AppConfig):
    name = "exports"
    verbose_name = _("Exports")

    def ready(self):
        # A purchase that a lot keeps apart under a standard may not lose that standard (harvests.services).
        from harvests.services import RECERTIFICATION_CHECKS

        from .services import lots_keep_certification

        RECERTIFICATION_CHECKS.append(lots_keep_certification)
