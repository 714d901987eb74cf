"""Pages of this app, under /c/<cooperative code>/ (see cooperatives/pages.py)."""

from django.urls import path

from cooperatives.pages import coming_soon

# Placeholders (coming_soon) until the pages issue builds each page; the names are the contract.
urlpatterns = [
    path("c/<slug:code>/purchases/", coming_soon, name="delivery_list"),
    path("c/<slug:code>/purchases/new/", coming_soon, name="delivery_create"),
    path("c/<slug:code>/purchases/<int:pk>/receipt/", coming_soon, name="delivery_receipt"),
]
