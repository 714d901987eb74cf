from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HarvestsConfig(AppConfig):
    name = "harvests"
    verbose_name = _("Harvests")
