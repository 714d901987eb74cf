"""The files Minka writes for people to keep: their media types, and PDFs printed by WeasyPrint from a template.

Every report's PDF goes through pdf_from_html, so that none reads anything but the project's static files.
"""

import logging
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from django.conf import settings
from django.http import StreamingHttpResponse

# WeasyPrint tells every step of a rendering at INFO, and of its own stylesheets as it is
# imported: noise in the server's log and in every manage.py command's output.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

from weasyprint import HTML  # noqa: E402  (after its logger is quietened)
from weasyprint.urls import URLFetcher  # noqa: E402

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"
GEOJSON = "application/geo+json"


class StaticOnlyFetcher(URLFetcher):
    """Lets WeasyPrint read the project's static files and nothing else.

    A report must print the same offline as online and must never call out to a host named in
    its data (a plot's name is user input), so every other URL is refused and left out.
    """

    def fetch(self, url, headers=None):
        if not url.startswith("file:"):
            raise ValueError(f"Refused to fetch {url}: a report reads only static files.")
        path = Path(url2pathname(urlsplit(url).path)).resolve()
        roots = [Path(root).resolve() for root in [*settings.STATICFILES_DIRS, settings.STATIC_ROOT] if root]
        if not any(path.is_relative_to(root) for root in roots):
            raise ValueError(f"Refused to fetch {url}: a report reads only static files.")
        return super().fetch(url, headers)


def pdf_from_html(html):
    """PDF bytes of an HTML document, its stylesheets and images read from the static files only."""
    return HTML(string=html, base_url=str(settings.STATICFILES_DIRS[0]), url_fetcher=StaticOnlyFetcher()).write_pdf()


def streamed_download(chunks, *, filename, content_type):
    """A download streamed as its chunks are made: a large file never sits whole in the server's memory."""
    response = StreamingHttpResponse(chunks, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
