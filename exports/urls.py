"""Pages of this app, under /c/<cooperative code>/ (see cooperatives/pages.py)."""

from django.urls import path

from . import views

urlpatterns = [
    path("c/<slug:code>/mass-balance/", views.MassBalanceView.as_view(), name="mass_balance"),
    path("c/<slug:code>/eudr.geojson", views.CooperativeEudrView.as_view(), name="cooperative_eudr"),
]
