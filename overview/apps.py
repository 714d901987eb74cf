from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OverviewConfig(AppConfig):
    """What reads across the domain: the dashboard, the federation's overview, a family's profile, the
    cooperative's plausibility flags and EUDR file. It writes nothing; every domain app lies below it."""

    name = "overview"
    verbose_name = _("Overview")
