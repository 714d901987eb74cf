"""Pages of this app, under /c/<cooperative code>/ (see cooperatives/pages.py)."""

from django.urls import path

from cooperatives.pages import coming_soon

# Placeholders (coming_soon) until the pages issue builds each page; the names are the contract.
urlpatterns = [
    path("c/<slug:code>/families/<int:producer>/inspections/new/", coming_soon, name="inspection_create"),
    path("c/<slug:code>/inspections/<int:pk>/", coming_soon, name="inspection_detail"),
]
