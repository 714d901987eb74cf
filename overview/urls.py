"""The dashboard, its map, the federation's overview and a partner's page (see cooperatives/pages.py)."""

from django.urls import path

from . import views

urlpatterns = [
    path("overview/", views.OverviewView.as_view(), name="overview"),
    path("partner/", views.PartnerHomeView.as_view(), name="partner_home"),
    path("c/<slug:code>/", views.DashboardView.as_view(), name="dashboard"),
    path("c/<slug:code>/map/plots.geojson", views.DashboardPlotsView.as_view(), name="dashboard_plots"),
    # A family's profile, and the step in its membership posted from it (URL names as the producers app gave them).
    path("c/<slug:code>/families/<int:pk>/", views.ProducerDetailView.as_view(), name="producer_detail"),
    path("c/<slug:code>/families/<int:pk>/status/", views.ProducerStatusView.as_view(), name="producer_status"),
]
