"""Plots: JSON for the records, GeoJSON (application/geo+json) for maps and EUDR tools."""

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.settings import api_settings

from cooperatives.api.lean import json_text_key
from cooperatives.api.pagination import CursorPagination
from cooperatives.api.renderers import GeoJSONRenderer
from cooperatives.api.viewsets import CooperativeScopedViewSet
from plots.models import Plot, conversion_status

from .filters import PlotFilter
from .serializers import PlotFeatureCollectionSerializer, PlotSerializer


def _number(value):
    return None if value is None else float(value)


def plot_feature(plot, today):
    """One RFC 7946 Feature. An unmapped plot keeps its place with geometry null, as the RFC allows."""
    return {
        "type": "Feature",
        "id": plot.pk,
        "geometry": plot.geometry,
        "properties": {
            "code": plot.code,
            "name": plot.name,
            "cooperative": plot.cooperative_id,
            "producer": plot.producer_id,
            "crop": plot.crop,
            "variety": plot.variety,
            "district": plot.district_id,
            "declared_area_ha": _number(plot.declared_area_ha),
            "measured_area_ha": _number(plot.measured_area_ha),
            "conversion_status": plot.conversion_status(today),
            "deforestation_result": plot.deforestation_result,
            "eudr_ready": plot.eudr_ready,
            "modified": plot.modified.isoformat(),
        },
    }


class PlotViewSet(CooperativeScopedViewSet):
    """Plots, cursor-paginated (newest first unless ordered otherwise).

    `GET /plots/geojson/`, `GET /plots/?format=geojson` or `Accept: application/geo+json`
    answer the same filtered page as a GeoJSON FeatureCollection, with the cursor links
    as a foreign member `links`.
    """

    queryset = Plot.objects.all()
    serializer_class = PlotSerializer
    pagination_class = CursorPagination
    renderer_classes = [*api_settings.DEFAULT_RENDERER_CLASSES, GeoJSONRenderer]
    filterset_class = PlotFilter
    search_fields = ["=code", "name", "variety"]
    ordering_fields = ["id", "code", "modified"]
    lean_computed = {
        "conversion_status": (
            ["conversion_start"],
            lambda row, context: conversion_status(row["conversion_start"], context["today"]),
        ),
        # The geometry arrives as its stored text here ("null" never is stored: None is SQL NULL).
        "eudr_ready": (
            ["deforestation_result", json_text_key("geometry")],
            lambda row, context: Plot.is_eudr_ready(row[json_text_key("geometry")], row["deforestation_result"]),
        ),
    }

    def get_serializer_context(self):
        # One "today" for every row of the page.
        return {**super().get_serializer_context(), "today": timezone.localdate()}

    @extend_schema(
        responses={
            (200, "application/json"): PlotSerializer(many=True),
            (200, GeoJSONRenderer.media_type): PlotFeatureCollectionSerializer,
        }
    )
    def list(self, request, *args, **kwargs):
        if request.accepted_renderer.format == GeoJSONRenderer.format:
            return self._feature_collection()
        return super().list(request, *args, **kwargs)

    @extend_schema(
        filters=True,
        parameters=[
            OpenApiParameter("cursor", str, description="The page's cursor, from `links`."),
            OpenApiParameter("page_size", int, description="Features per page (at most 1000)."),
        ],
        responses={(200, GeoJSONRenderer.media_type): PlotFeatureCollectionSerializer},
        description="The filtered plots as a GeoJSON FeatureCollection (RFC 7946); unmapped plots have geometry null.",
    )
    @action(detail=False, renderer_classes=[GeoJSONRenderer, *api_settings.DEFAULT_RENDERER_CLASSES])
    def geojson(self, request):
        return self._feature_collection()

    def _feature_collection(self):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        today = timezone.localdate()
        return Response(
            {
                "type": "FeatureCollection",
                "features": [plot_feature(plot, today) for plot in page],
                "links": {"next": self.paginator.get_next_link(), "previous": self.paginator.get_previous_link()},
            },
            content_type=GeoJSONRenderer.media_type,
        )
