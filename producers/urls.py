"""Pages of this app, under /c/<cooperative code>/ (see cooperatives/pages.py); a family's profile is overview's."""

from django.urls import path

from . import views

urlpatterns = [
    path("c/<slug:code>/families/", views.ProducerListView.as_view(), name="producer_list"),
    path("c/<slug:code>/families/new/", views.ProducerFormView.as_view(), name="producer_create"),
    path("c/<slug:code>/families/import/", views.ImportView.as_view(), name="producer_import"),
    path(
        "c/<slug:code>/families/import/template.<str:file_format>",
        views.ImportTemplateView.as_view(),
        name="producer_import_template",
    ),
    path(
        "c/<slug:code>/families/import/<str:token>/progress/",
        views.ImportProgressView.as_view(),
        name="producer_import_progress",
    ),
    path("c/<slug:code>/families/<int:pk>/edit/", views.ProducerFormView.as_view(), name="producer_update"),
]
