"""Middleware of Minka's own."""

from django.utils.cache import patch_cache_control


class PrivateResponsesMiddleware:
    """What a signed-in person or a key is answered is stored by no cache: `Cache-Control: private, no-store`.

    Members' personal data reaches a browser in many shapes (the family pages, the API's answers
    to a key that may read it, the admin's exports, the ICS member list PDFs, the XLSX and CSV
    downloads); one rule for every answer to someone signed in covers them all, and those yet to come,
    so that a shared computer's browser cache or a proxy keeps none of it. An answer its view marked
    `public` (the favicon) is left as it is. The static files are served by WhiteNoise above this
    middleware, so they stay cacheable; an anonymous page (the login) is not touched either.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if _signed_in(request) and "public" not in response.get("Cache-Control", ""):
            patch_cache_control(response, private=True, no_store=True)
        return response


def _signed_in(request):
    # A key authenticates in the API view (DRF), which then sets request.user; the header alone
    # also counts, so that even a refused key's answer is kept by no cache.
    if "Authorization" in request.headers:
        return True
    user = getattr(request, "user", None)
    return user is not None and user.is_authenticated
