"""Pages of this app, under /c/<cooperative code>/ (see cooperatives/pages.py)."""

from django.urls import path

from . import views

urlpatterns = [
    path("c/<slug:code>/families/<int:producer>/plots/new/", views.PlotFormView.as_view(), name="plot_create"),
    path("c/<slug:code>/plots/<int:pk>/edit/", views.PlotFormView.as_view(), name="plot_update"),
    # The editor's map shows a GPS file's shape before the plot is saved.
    path("c/<slug:code>/plots/read-file/", views.PlotFileView.as_view(), name="plot_read_file"),
]
