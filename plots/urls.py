"""Pages of this app, under /c/<cooperative code>/ (see cooperatives/pages.py)."""

from django.urls import path

from . import views

urlpatterns = [
    path("c/<slug:code>/families/<int:producer>/plots/new/", views.PlotFormView.as_view(), name="plot_create"),
    path("c/<slug:code>/plots/<int:pk>/edit/", views.PlotFormView.as_view(), name="plot_update"),
    path("c/<slug:code>/plots/import/", views.PlotImportView.as_view(), name="plot_import"),
    path(
        "c/<slug:code>/plots/import/template.<str:file_format>",
        views.PlotImportTemplateView.as_view(),
        name="plot_import_template",
    ),
    path(
        "c/<slug:code>/plots/import/<str:token>/progress/",
        views.PlotImportProgressView.as_view(),
        name="plot_import_progress",
    ),
    path("c/<slug:code>/plots/geometries/import/", views.GeometryImportView.as_view(), name="plot_geometry_import"),
    path(
        "c/<slug:code>/plots/geometries/import/<str:token>/progress/",
        views.GeometryImportProgressView.as_view(),
        name="plot_geometry_import_progress",
    ),
    # The editor's map shows a GPS file's shape before the plot is saved.
    path("c/<slug:code>/plots/read-file/", views.PlotFileView.as_view(), name="plot_read_file"),
]
