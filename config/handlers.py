"""Django's error views where Minka answers differently: a body too large for the server is a 413 that says so,
and the API's callers get the API's error shape (JSON), never a page."""

from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.shortcuts import render
from django.views import defaults
from django.views.decorators.csrf import requires_csrf_token
from rest_framework.exceptions import NotFound

from cooperatives.api.errors import too_large_message


@requires_csrf_token  # the page's language and logout forms need their token
def bad_request(request, exception, template_name=defaults.ERROR_400_TEMPLATE_NAME):
    """400, or 413 for a body over DATA_UPLOAD_MAX_MEMORY_SIZE (Django raises it as a bad request).

    Reached when a middleware or a page read the body; the API's own views answer it in
    cooperatives.api.errors. The API's callers get its error shape, people a page.
    """
    if not isinstance(exception, RequestDataTooBig):
        return defaults.bad_request(request, exception, template_name)
    message = too_large_message()
    if request.path.startswith("/api/"):
        error = {"code": "request_too_large", "detail": str(message), "attr": None}
        return JsonResponse({"type": "client_error", "errors": [error]}, status=413)
    return render(request, "413.html", {"message": message}, status=413)


def page_not_found(request, exception, template_name=defaults.ERROR_404_TEMPLATE_NAME):
    """404. An address under /api/ that no resource answers (/api/v1/producers/0.5/) is told so as the
    API's own 404s are, in JSON."""
    if request.path.startswith("/api/"):
        error = {"code": NotFound.default_code, "detail": str(NotFound.default_detail), "attr": None}
        return JsonResponse({"type": "client_error", "errors": [error]}, status=404)
    return defaults.page_not_found(request, exception, template_name)
