"""The Content-Security-Policy of the API's pages for people, which Minka does not write itself.

Swagger UI and Redoc (/api/v1/docs/, /api/v1/redoc/) and DRF's browsable API write styles inline: style
attributes, styled-components' <style> elements, the <style> that highlights an answer. These pages allow
inline styles (no nonce beside 'unsafe-inline': a browser that sees a nonce ignores 'unsafe-inline'), and
Redoc searches in a worker it starts from a blob of its own code. Scripts stay Minka's files or nonced, as
everywhere. Redoc's Redocly logo, from Redocly's site, is refused: Redoc then leaves it out.
"""

from django.conf import settings
from django.utils.csp import CSP, build_policy
from django.views.decorators.csp import csp_override
from rest_framework import renderers

API_PAGES_CSP = {
    **settings.SECURE_CSP,
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "worker-src": [CSP.SELF, "blob:"],
}

api_pages_policy = csp_override(API_PAGES_CSP)


class BrowsableAPIRenderer(renderers.BrowsableAPIRenderer):
    """DRF's browsable API, under API_PAGES_CSP; the JSON answers keep the site's policy."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        response = (renderer_context or {}).get("response")
        if response is not None:
            # The middleware leaves a policy the view set alone; these pages have no inline script to nonce.
            response.headers[str(CSP.HEADER_ENFORCE)] = build_policy(API_PAGES_CSP)  # a str for WSGI servers
        return super().render(data, accepted_media_type, renderer_context)
