from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlotsConfig(AppConfig):
    name = "plots"
    verbose_name = _("Plots")

    def ready(self):
        # The plots' file and their geometries' files among the imports the admin and the pages offer.
        from cooperatives import uploads

        from .geoimport import GEOMETRIES
        from .imports import PLOTS

        uploads.register(PLOTS)
        uploads.register(GEOMETRIES)
