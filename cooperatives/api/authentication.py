from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from cooperatives.models import PartnerKey

from .throttling import FailedKeyThrottle

KEYWORDS = ("api-key", "bearer")


class PartnerKeyAuthentication(authentication.BaseAuthentication):
    """`Authorization: Api-Key <key>` (or `Bearer <key>`): the key's own account, and the key as request.auth."""

    def authenticate(self, request):
        keyword, _sep, key = request.headers.get("Authorization", "").partition(" ")
        if keyword.lower() not in KEYWORDS or not key.strip():
            return None
        throttle = FailedKeyThrottle()
        # An address that tried too many wrong keys waits before any key is read, the right one too.
        if (wait := throttle.wait_before_next_key(request)) is not None:
            raise exceptions.Throttled(wait)
        try:
            partner_key = PartnerKey.objects.get_from_key(key.strip())
        except PartnerKey.DoesNotExist:
            throttle.count_failure(request)
            raise exceptions.AuthenticationFailed(_("This API key is not valid or was revoked.")) from None
        if partner_key.has_expired:
            raise exceptions.AuthenticationFailed(_("This API key has expired."))
        if not partner_key.account.is_active:
            raise exceptions.AuthenticationFailed(_("This API key was revoked."))
        return partner_key.account, partner_key

    def authenticate_header(self, request):
        return 'Api-Key realm="api"'
