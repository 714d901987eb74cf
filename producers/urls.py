"""Pages of this app, under /c/<cooperative code>/ (see cooperatives/pages.py)."""

from django.urls import path

from cooperatives.pages import coming_soon

# Placeholders (coming_soon) until the pages issue builds each page; the names are the contract.
urlpatterns = [
    path("c/<slug:code>/families/", coming_soon, name="producer_list"),
    path("c/<slug:code>/families/new/", coming_soon, name="producer_create"),
    path("c/<slug:code>/families/<int:pk>/", coming_soon, name="producer_detail"),
    path("c/<slug:code>/families/<int:pk>/edit/", coming_soon, name="producer_update"),
]
