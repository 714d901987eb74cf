"""Pages of this app, under /c/<cooperative code>/ (see cooperatives/pages.py)."""

from django.urls import path

from . import views

urlpatterns = [
    path("c/<slug:code>/purchases/", views.DeliveryListView.as_view(), name="delivery_list"),
    path("c/<slug:code>/purchases/new/", views.DeliveryCreateView.as_view(), name="delivery_create"),
    path("c/<slug:code>/purchases/<int:pk>/receipt/", views.DeliveryReceiptView.as_view(), name="delivery_receipt"),
    # Fragments of the purchase form, fetched by htmx as the officer types and chooses.
    path("c/<slug:code>/purchases/families/", views.FamilySearchView.as_view(), name="delivery_family_search"),
    path("c/<slug:code>/purchases/plots/", views.FamilyPlotsView.as_view(), name="delivery_family_plots"),
    path("c/<slug:code>/purchases/receipt-number/", views.ReceiptNumberView.as_view(), name="delivery_receipt_number"),
]
