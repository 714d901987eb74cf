"""The API's throttles beyond DRF's per-key and anonymous rates (config/settings.py, REST_FRAMEWORK)."""

from rest_framework.throttling import SimpleRateThrottle


class FailedKeyThrottle(SimpleRateThrottle):
    """Wrong API keys per address: past the "failed_key" rate, the address waits before any key is read.

    DRF throttles after authentication, and a wrong key ends the request in authentication (401), so
    neither DRF's anonymous rate nor a key's own rate ever counted it. PartnerKeyAuthentication asks
    this throttle first and tells it of each wrong key. DRF's history of times in the cache, as its
    own throttles keep: no table, and the default per-process cache bounds each app process alone
    (a shared cache, when Minka gets one, bounds them together). django-axes would keep the count
    in the database, but it counts logins of accounts and would lock the login pages of an office
    whose partner's program misread its key.
    """

    scope = "failed_key"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}

    def wait_before_next_key(self, request):
        """Seconds this address still waits, or None when it may try a key; counts nothing."""
        self.key = self.get_cache_key(request, None)
        self.history = self.cache.get(self.key, [])
        self.now = self.timer()
        while self.history and self.history[-1] <= self.now - self.duration:
            self.history.pop()
        if len(self.history) >= self.num_requests:
            return self.wait()
        return None

    def count_failure(self, request):
        if self.wait_before_next_key(request) is None:
            self.throttle_success()


class SchemaAnonRateThrottle(SimpleRateThrottle):
    """The OpenAPI schema and its docs pages for anonymous callers, at the "schema" rate per address.

    The schema takes seconds of a worker to build; the anonymous rate of the rest of the API is
    too generous for it. Keys and logins keep their own rates. (DRF's AnonRateThrottle, with a rate
    of its own rather than a subclass sharing its rates.)
    """

    scope = "schema"

    def get_cache_key(self, request, view):
        if request.user and request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
