"""The base of every API resource: scoped rows, safe retries and no lost updates."""

import hashlib
import json

import orjson
from django.db import IntegrityError, OperationalError, connection, transaction
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status, viewsets
from rest_framework.response import Response

from cooperatives.models import IdempotentRequest

from .lean import LeanListMixin


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = _("This record changed since you read it: read it again and repeat your change.")
    default_code = "precondition_failed"


class IdempotencyKeyReused(exceptions.APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = _("This Idempotency-Key was already used for a different request.")
    default_code = "idempotency_key_reused"


class IdempotentRequestInProgress(exceptions.APIException):
    """The first request with this key is still being carried out after IDEMPOTENCY_WAIT seconds."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = _(
        "A request with this Idempotency-Key is still being carried out: repeat it in a moment to receive its answer."
    )
    default_code = "idempotency_key_in_progress"
    wait = 1  # Retry-After, in seconds


# How long a POST waits for another one with the same Idempotency-Key to finish before it answers 409.
IDEMPOTENCY_WAIT = 10.0


def _lock_timed_out(error):
    # PostgreSQL's lock_not_available (55P03), raised when lock_timeout passes.
    return getattr(error.__cause__, "pgcode", None) == "55P03"


def etag_of(data):
    """A strong validator of a representation: the same data, the same tag."""
    digest = hashlib.sha256(orjson.dumps(data, option=orjson.OPT_SORT_KEYS, default=str)).hexdigest()
    return f'"{digest[:32]}"'


def _fingerprint(request):
    return hashlib.sha256(json.dumps(request.data, sort_keys=True, default=str).encode()).hexdigest()


class CooperativeScopedViewSet(LeanListMixin, viewsets.ModelViewSet):
    """Rows of the caller's cooperatives, read and written as the caller's role allows.

    - A list page is read as plain rows (cooperatives.api.lean), the same JSON as the serializer's.
    - An object of another cooperative is not in the queryset: 404, as a missing one.
    - GET of one object answers an ETag; a PUT/PATCH/DELETE with `If-Match` and a stale
      tag answers 412 instead of overwriting someone else's change.
    - A POST with an `Idempotency-Key` header is done once: a retry replays the first answer; a retry
      sent while the first is at work waits for it (409 with Retry-After after IDEMPOTENCY_WAIT seconds).
    """

    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return super().get_queryset().for_user(self.request.user)

    # Reading one object: its version travels as an ETag.

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        response["ETag"] = etag_of(response.data)
        return response

    # Changing one object: only the version the client read.

    def check_version(self, request, instance):
        expected = request.headers.get("If-Match")
        if expected and expected.strip() != "*" and expected.strip() != etag_of(self.get_serializer(instance).data):
            raise PreconditionFailed()

    def get_object(self):
        instance = super().get_object()
        if self.request.method in ("PUT", "PATCH", "DELETE"):
            self.check_version(self.request, instance)
        return instance

    def update(self, request, *args, **kwargs):
        with transaction.atomic():
            # Lock the row so that the version checked is the version changed.
            if request.headers.get("If-Match"):
                self.get_queryset().select_for_update().filter(pk=kwargs[self.lookup_field]).exists()
            response = super().update(request, *args, **kwargs)
        response["ETag"] = etag_of(response.data)
        return response

    def destroy(self, request, *args, **kwargs):
        with transaction.atomic():
            if request.headers.get("If-Match"):
                self.get_queryset().select_for_update().filter(pk=kwargs[self.lookup_field]).exists()
            return super().destroy(request, *args, **kwargs)

    # Creating: once per Idempotency-Key.

    def create(self, request, *args, **kwargs):
        key = request.headers.get("Idempotency-Key", "").strip()[:255]
        if not key:
            return super().create(request, *args, **kwargs)
        fingerprint = _fingerprint(request)
        replay = self._replay(request, key, fingerprint)
        if replay is not None:
            return replay
        try:
            with transaction.atomic():
                # The key is claimed before anything is created: a second request with it waits here on
                # the unique constraint until the first commits (and then replays its answer) or is undone
                # (and then goes ahead itself). Claimed after, the second could meet the first's new row
                # in its own checks and answer 400 ("already exists") instead of the first's answer.
                claim = self._claim(request, key, fingerprint)
                response = super().create(request, *args, **kwargs)
                claim.status_code = response.status_code
                claim.body = json.loads(json.dumps(response.data, default=str))
                claim.save(update_fields=["status_code", "body"])
        except IntegrityError:
            # The same key's first request committed while this one waited: what it created stands.
            replay = self._replay(request, key, fingerprint)
            if replay is None:
                raise
            return replay
        return response

    def _claim(self, request, key, fingerprint):
        """The key's row, inserted within the transaction that creates; waits at most IDEMPOTENCY_WAIT seconds
        for another request that holds the key (PostgreSQL), then answers 409."""
        postgresql = connection.vendor == "postgresql"
        if postgresql:
            with connection.cursor() as cursor:
                cursor.execute(f"SET LOCAL lock_timeout = {int(IDEMPOTENCY_WAIT * 1000)}")  # milliseconds
        try:
            # status_code and body are filled in before this transaction commits: no one reads them unset.
            claim = IdempotentRequest.objects.create(
                user=request.user,
                key=key,
                method=request.method,
                path=request.path,
                fingerprint=fingerprint,
                status_code=0,
                body=None,
            )
        except OperationalError as error:
            if _lock_timed_out(error):
                raise IdempotentRequestInProgress() from None
            raise
        if postgresql:
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = DEFAULT")
        return claim

    def _replay(self, request, key, fingerprint):
        first = IdempotentRequest.objects.filter(user=request.user, key=key).first()
        if first is None:
            return None
        if first.fingerprint != fingerprint or first.path != request.path:
            raise IdempotencyKeyReused()
        return Response(first.body, status=first.status_code, headers={"Idempotent-Replayed": "true"})
