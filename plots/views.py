"""The plot editor: add or edit a family's plot, its place drawn on a map, read from a GPS file or typed as a point."""

import orjson
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import floatformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from certifications.selectors import covered_on
from cooperatives.pages import WRITERS, CooperativePageMixin, json_for_script
from producers.models import Producer
from producers.views import ImportProgressView, ImportTemplateView, ImportView

from . import gpsfiles, maps
from .forms import PlotForm
from .models import Plot

NO_FEATURES = orjson.dumps({"type": "FeatureCollection", "features": []})

# Leaflet.draw's own words on the map (L.drawLocal), in the page's language.
DRAW_TEXTS = {
    "polygon": gettext_lazy("Draw the plot's boundary"),
    "marker": gettext_lazy("Mark the plot as a point"),
    "cancel": gettext_lazy("Cancel"),
    "finish": gettext_lazy("Finish"),
    "undo": gettext_lazy("Delete last corner"),
    "polygon_start": gettext_lazy("Tap the first corner of the plot."),
    "polygon_continue": gettext_lazy("Tap the next corner."),
    "polygon_end": gettext_lazy("Tap the first corner again to close the boundary."),
    "cross": gettext_lazy("The sides of a plot cannot cross."),
    "marker_start": gettext_lazy("Tap the plot's place on the map."),
    "edit": gettext_lazy("Move corners"),
    "edit_none": gettext_lazy("Nothing to change yet"),
    "remove": gettext_lazy("Delete the shape"),
    "remove_none": gettext_lazy("Nothing to delete"),
    "save": gettext_lazy("Done"),
    "clear_all": gettext_lazy("Delete all"),
    "edit_tip": gettext_lazy("Drag the corners to move them."),
    "edit_subtip": gettext_lazy("Tap Cancel to undo the changes."),
    "remove_tip": gettext_lazy("Tap the shape to delete it."),
    "corner": gettext_lazy("Corner of the plot"),
    "estimate": gettext_lazy("About %(area)s ha (an estimate: the area saved is measured on the WGS84 ellipsoid)."),
    "read_from": gettext_lazy("Read from %(name)s; check it on the map, then save."),
    "read_failed": gettext_lazy("The file could not be sent; it will be read when you save."),
}


class PlotFormView(CooperativePageMixin, TemplateView):
    """Add a plot to a family (`producer` in the URL) or edit one (`pk`); writers only."""

    page_roles = WRITERS
    template_name = "plots/plot_form.html"

    def get_plot(self):
        if "pk" in self.kwargs:
            return get_object_or_404(
                self.scoped(Plot.objects.select_related("producer__district")), pk=self.kwargs["pk"]
            )
        producer = get_object_or_404(
            self.scoped(Producer.objects.select_related("district")), pk=self.kwargs["producer"]
        )
        return Plot(cooperative=self.cooperative, producer=producer)

    def get(self, request, *args, **kwargs):
        plot = self.get_plot()
        return self.render_to_response(self.get_context_data(form=self.make_form(plot)))

    def post(self, request, *args, **kwargs):
        plot = self.get_plot()
        form = self.make_form(plot, data=request.POST, files=request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        creating = plot.pk is None
        plot = form.save()
        messages.success(request, saved_message(plot, creating))
        for note in form.notes:
            messages.info(request, note)
        if request.POST.get("next") == "another":
            return redirect("plot_create", self.cooperative.code, plot.producer_id)
        return redirect("producer_detail", self.cooperative.code, plot.producer_id)

    def make_form(self, plot, **kwargs):
        return PlotForm(instance=plot, cooperative=self.cooperative, producer=plot.producer, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plot = context["form"].instance
        producer = plot.producer
        others = self.scoped(Plot.objects.filter(producer=producer))
        if plot.pk:
            others = others.exclude(pk=plot.pk)
        today = timezone.localdate()
        family_plots = maps.feature_collection(others.annotate(covered=covered_on(today)), today, link=False)
        # With nothing of the family's to show, the map opens on its community or district, not on a blank.
        unmapped = plot.geometry is None and family_plots == NO_FEATURES
        context.update(
            plot=plot if plot.pk else None,
            producer=producer,
            # The bytes as they are (no parsing), escaped for a <script> as json_script would.
            family_plots=json_for_script(family_plots),
            start=maps.starting_place(producer) if unmapped else None,
            draw_texts=DRAW_TEXTS,
        )
        return context


def saved_message(plot, creating):
    values = {"code": plot.code}
    if plot.measured_area_ha is not None:
        values["area"] = floatformat(plot.measured_area_ha, "2g")
        if creating:
            return _("Plot %(code)s added: its measured area is %(area)s ha.") % values
        return _("Plot %(code)s saved: its measured area is %(area)s ha.") % values
    if creating:
        return _("Plot %(code)s added.") % values
    return _("Plot %(code)s saved.") % values


class PlotFileView(CooperativePageMixin, View):
    """Read a GPS or phone file for the editor's map before the plot is saved (JSON; writers only).

    The editor shows the file's shape at once, to be checked and adjusted; without a script the
    file travels with the form and is read when the plot is saved.
    """

    page_roles = WRITERS
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        upload = request.FILES.get("gps_file")
        if upload is None:
            return JsonResponse({"errors": [_("Choose a file.")]}, status=400)
        try:
            reading = gpsfiles.read_file(upload)
        except ValidationError as error:
            return JsonResponse({"errors": error.messages}, status=400)
        return JsonResponse(
            {"geometry": reading.geometry, "format": reading.format, "notes": [str(n) for n in reading.notes]}
        )


# The plots' imports, attributes and geometries: the families' import pages (producers.views) for other files.


class PlotImport:
    kind = "plots"
    url_prefix = "plot"
    title = gettext_lazy("Import plots")


class GeometryImport:
    kind = "geometries"
    url_prefix = "plot_geometry"
    title = gettext_lazy("Import plot geometries")


class PlotImportView(PlotImport, ImportView):
    pass


class PlotImportTemplateView(PlotImport, ImportTemplateView):
    pass


class PlotImportProgressView(PlotImport, ImportProgressView):
    pass


class GeometryImportView(GeometryImport, ImportView):
    pass


class GeometryImportProgressView(GeometryImport, ImportProgressView):
    pass
