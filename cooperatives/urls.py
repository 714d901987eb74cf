"""Pages of this app, under /c/<cooperative code>/ (see cooperatives/pages.py)."""

from django.urls import path

from cooperatives.pages import coming_soon

# Placeholders (coming_soon) until the pages issue builds each page; the names are the contract.
urlpatterns = [
    path("overview/", coming_soon, name="overview"),
    path("c/<slug:code>/", coming_soon, name="dashboard"),
    path("c/<slug:code>/map/plots.geojson", coming_soon, name="dashboard_plots"),
]
