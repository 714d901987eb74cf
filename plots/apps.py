from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlotsConfig(AppConfig):
    name = "plots"
    verbose_name = _("Plots")
