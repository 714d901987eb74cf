"""Login throttling: who a failed login counts against, and what a locked-out person reads.

django-axes counts the failures (config/settings.py, "Login throttling"); these are the two pieces of
it that are Minka's own.
"""

import ipaddress

from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext
from rest_framework.throttling import BaseThrottle


def client_address(request):
    """The address a request came from, as the API's throttles name it (settings.NUM_PROXIES).

    One rule for the login pages and the API, so that a proxy setting cannot protect one and not the
    other. A value that is no address (a proxy setting that trusts a header the client wrote) falls
    back to the connection's own address: axes stores it in an address column.
    """
    address = BaseThrottle().get_ident(request)
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return request.META.get("REMOTE_ADDR")


def lockout_message():
    until = timezone.localtime(timezone.now() + settings.AXES_COOLOFF_TIME)
    return gettext(
        "Too many failed logins for this account or from this address. Logging in is locked until "
        "%(time)s: try again then, or ask a manager of your cooperative to unlock your account."
    ) % {"time": time_format(until)}


def lockout_response(request, original_response=None, credentials=None):
    """The login page again, answering 429, its form saying why the login was refused and until when.

    The lock lasts from this attempt on: a failure during a lockout starts the wait again (axes'
    AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT), so the lock ends by the time shown unless
    someone fails again meanwhile.
    """
    context = getattr(original_response, "context_data", None) or {}
    form = context.get("form")
    if not isinstance(form, AuthenticationForm) or not form.is_bound:
        # A login some other way than through a login page's form (none today): the words alone.
        return HttpResponse(lockout_message(), status=429, content_type="text/plain; charset=utf-8")
    # The form said "enter a correct username and password", which the right password would also read.
    form.errors.clear()
    form.add_error(None, ValidationError(lockout_message(), code="locked_out"))
    response = TemplateResponse(request, original_response.template_name, {**context, "form": form}, status=429)
    response["Retry-After"] = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    # Rendered here: the middleware that asked for it runs after the handler has rendered responses.
    return response.render()
