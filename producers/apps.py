from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProducersConfig(AppConfig):
    name = "producers"
    verbose_name = _("Producers")

    def ready(self):
        # The families' file among the imports the admin and the pages offer.
        from cooperatives import uploads

        from .imports import FAMILIES

        uploads.register(FAMILIES)
