"""Pages of this app, under /c/<cooperative code>/ (see cooperatives/pages.py)."""

from django.urls import path

from . import views

urlpatterns = [
    path(
        "c/<slug:code>/families/<int:producer>/inspections/new/",
        views.InspectionCreateView.as_view(),
        name="inspection_create",
    ),
    path("c/<slug:code>/inspections/<int:pk>/", views.InspectionDetailView.as_view(), name="inspection_detail"),
]
