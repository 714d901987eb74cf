from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo cooperative and the benchmarks' data (`manage.py seed_demo`): it writes through every app."""

    name = "demo"
    verbose_name = _("Demo data")
