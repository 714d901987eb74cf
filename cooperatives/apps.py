from axes.apps import AppConfig as AxesConfig
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CooperativesConfig(AppConfig):
    default = True  # the app's own, of the two configs here
    name = "cooperatives"
    verbose_name = _("Cooperatives")

    def ready(self):
        # Registers the OpenAPI description of the API key scheme with drf-spectacular.
        # Connects the signals that forget a role's cached permissions when they change.
        # Puts the admin's page of failed logins in place of django-axes' own (the admin has found axes' by now).
        from . import admin_logins, backends  # noqa: F401
        from .api import schema  # noqa: F401


class LoginFailuresConfig(AxesConfig):
    """django-axes, under the name a manager looks for in the admin (config/settings.py, "Login throttling")."""

    default = False
    verbose_name = _("Logins")
