"""The words of Minka's maps in the page's language: Leaflet speaks English on its own."""

from django import template
from django.utils.html import json_script
from django.utils.translation import gettext_lazy as _

register = template.Library()

# Read by static/minka/map.js: Leaflet's controls, a plot's popup and the list of plots beside a map.
MAP_TEXTS = {
    "zoom_in": _("Zoom in"),
    "zoom_out": _("Zoom out"),
    "layers": _("Map layers"),
    "leaflet": _("A JavaScript library for interactive maps"),
    "close": _("Close"),
    "point": _("The plot's point"),
    "plot": _("Plot"),
    "family": _("Family"),
    "area": _("Area (ha)"),
    "certification": _("Certification"),
    "eudr": _("EUDR"),
}


@register.simple_tag
def map_texts():
    """A <script id="map-texts"> of MAP_TEXTS, once on any page with a map."""
    return json_script(MAP_TEXTS, "map-texts")
