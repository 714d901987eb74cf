"""The plot editor's form: the plot's fields, and its place drawn on a map, read from a file or typed as a point."""

import json

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cooperatives.models import District

from . import gpsfiles
from .models import Plot

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DECIMAL = {"inputmode": "decimal"}


class PlotForm(forms.ModelForm):
    """A plot of one family. The place comes from one of three inputs, the first given wins:

    a GPS or phone file (`gps_file`), a point typed as latitude and longitude, or the shape drawn
    on the map (`geometry`, GeoJSON text the page's script keeps up to date). The model judges the
    result (rules E1-E5, plots.geometry) and measures its area.
    """

    geometry = forms.CharField(label=_("geometry"), required=False, widget=forms.HiddenInput)
    gps_file = forms.FileField(
        label=_("GPS or phone file"),
        required=False,
        # An empty file is refused by plots.gpsfiles, with the file's name in the message.
        allow_empty_file=True,
        help_text=_("GeoJSON, KML, KMZ or GPX, at most 5 MB: the plot's boundary walked with a GPS, or its point."),
        widget=forms.ClearableFileInput(attrs={"accept": ".geojson,.json,.kml,.kmz,.gpx,application/gpx+xml"}),
    )
    latitude = forms.FloatField(
        label=_("latitude"),
        required=False,
        help_text=_("Decimal degrees, e.g. -6.5736 (south is negative)."),
        widget=forms.NumberInput(attrs={"step": "any", **DECIMAL}),
    )
    longitude = forms.FloatField(
        label=_("longitude"),
        required=False,
        help_text=_("Decimal degrees, e.g. -76.1378 (west is negative)."),
        widget=forms.NumberInput(attrs={"step": "any", **DECIMAL}),
    )

    class Meta:
        model = Plot
        fields = [
            "code",
            "name",
            "crop",
            "variety",
            "declared_area_ha",
            "planting_year",
            "tree_count",
            "estimated_yield_kg_ha",
            "tenure",
            "district",
            "geometry",
            "conversion_start",
            "deforestation_result",
            "deforestation_method",
            "deforestation_assessed_on",
            "deforestation_evidence",
        ]
        widgets = {
            "declared_area_ha": forms.NumberInput(attrs={"step": "any", **DECIMAL}),
            "estimated_yield_kg_ha": forms.NumberInput(attrs={"step": "any", **DECIMAL}),
            "conversion_start": DATE,
            "deforestation_assessed_on": DATE,
            "deforestation_evidence": forms.Textarea(attrs={"rows": 3}),
        }

    # The fields shown in each part of the page, in order.
    PLOT_FIELDS = (
        "code",
        "name",
        "crop",
        "variety",
        "declared_area_ha",
        "planting_year",
        "tree_count",
        "estimated_yield_kg_ha",
        "tenure",
        "district",
    )
    ASSESSMENT_FIELDS = (
        "conversion_start",
        "deforestation_result",
        "deforestation_method",
        "deforestation_assessed_on",
        "deforestation_evidence",
    )

    def __init__(self, *args, cooperative, producer, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.cooperative = cooperative
        self.instance.producer = producer
        self.notes = []
        self.fields["district"].queryset = self._districts(cooperative, producer)
        if self.initial.get("geometry"):
            # The map's script reads GeoJSON text, not a Python dict's repr.
            self.initial["geometry"] = json.dumps(self.initial["geometry"])
        if self.instance.pk is None and not self.initial.get("district"):
            self.initial["district"] = producer.district_id
        if (self.instance.geometry or {}).get("type") == "Point":
            # A point plot opens with its point in the two fields it is typed in.
            lon, lat = self.instance.geometry["coordinates"][:2]
            self.initial.setdefault("longitude", lon)
            self.initial.setdefault("latitude", lat)

    def plot_fields(self):
        return [self[name] for name in self.PLOT_FIELDS]

    def assessment_fields(self):
        return [self[name] for name in self.ASSESSMENT_FIELDS]

    def _districts(self, cooperative, producer):
        """The districts of the departments the cooperative works in, and any of its plots' districts.

        All 1,893 districts of Peru would make a list no one can scroll on a phone.
        """
        around = [cooperative.district_id, producer.district_id, self.instance.district_id]
        departments = District.objects.filter(pk__in=[d for d in around if d]).values("department")
        used = Plot.objects.filter(cooperative=cooperative).values("district_id")
        return District.objects.filter(Q(department__in=departments) | Q(pk__in=used))

    def clean_code(self):
        code = self.cleaned_data["code"]
        others = Plot.objects.filter(cooperative=self.instance.cooperative, code=code).exclude(pk=self.instance.pk)
        if others.exists():
            raise ValidationError(
                _("Another plot of this cooperative already has the code %(code)s."),
                code="duplicate_code",
                params={"code": code},
            )
        return code

    def clean_geometry(self):
        return self.cleaned_data["geometry"].strip()

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("gps_file")
        latitude, longitude = cleaned.get("latitude"), cleaned.get("longitude")
        if upload:
            try:
                reading = gpsfiles.read_file(upload)
            except ValidationError as error:
                self.add_error("gps_file", error)
            else:
                self.notes = reading.notes
                self._show(reading.geometry, point=False)
        elif "latitude" in self.errors or "longitude" in self.errors:
            pass
        elif latitude is not None and longitude is not None:
            self._show({"type": "Point", "coordinates": [longitude, latitude]}, point=True)
        elif latitude is not None:
            self.add_error("longitude", ValidationError(_("Give the longitude too."), code="required"))
        elif longitude is not None:
            self.add_error("latitude", ValidationError(_("Give the latitude too."), code="required"))
        return cleaned

    def _show(self, geometry, point):
        """Use `geometry`, and show on the page exactly what will be saved if the form comes back.

        The map reads the hidden field, so a re-rendered page draws the file's shape or the point;
        a point typed earlier is cleared when a file replaced it, or it would win on the next save.
        """
        self.cleaned_data["geometry"] = geometry
        self.data = self.data.copy()
        self.data[self.add_prefix("geometry")] = json.dumps(geometry)
        if not point:
            self.data[self.add_prefix("latitude")] = ""
            self.data[self.add_prefix("longitude")] = ""
