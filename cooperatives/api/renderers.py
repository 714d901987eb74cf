"""The API's own renderers: GeoJSON for plots and EUDR files, and the files the views write (XLSX, PDF)."""

import orjson
from drf_orjson_renderer.renderers import ORJSONRenderer
from rest_framework.renderers import BaseRenderer

from cooperatives.documents import GEOJSON, PDF, XLSX


def _default(value):
    # Lazy translations and ErrorDetail-like values become text; Decimal never reaches here (features use floats).
    return str(value)


class GeoJSONRenderer(BaseRenderer):
    """RFC 7946 GeoJSON, encoded with orjson (20 times faster than json on polygons, PERFORMANCE.md)."""

    media_type = GEOJSON
    format = "geojson"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        return orjson.dumps(data, default=_default)


class DownloadRenderer(BaseRenderer):
    """A file the view writes itself (bytes). An error answers in JSON as everywhere in the API, not as an
    empty file: the caller asked for a spreadsheet and is told why there is none."""

    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes):
            return data
        response = (renderer_context or {}).get("response")
        if response is not None:
            response["Content-Type"] = ORJSONRenderer.media_type
        return ORJSONRenderer().render(data, renderer_context=renderer_context)


class XlsxRenderer(DownloadRenderer):
    """Lets clients ask for a spreadsheet (Accept: XLSX, ?format=xlsx)."""

    media_type = XLSX
    format = "xlsx"


class PdfRenderer(DownloadRenderer):
    """Lets clients ask for a PDF (Accept: PDF, ?format=pdf)."""

    media_type = PDF
    format = "pdf"
