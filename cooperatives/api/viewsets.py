"""The base of every API resource: scoped rows, safe retries and no lost updates."""

import hashlib
import json

import orjson
from django.db import IntegrityError, transaction
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
    - A POST with an `Idempotency-Key` header is done once: a retry replays the first answer.
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
                response = super().create(request, *args, **kwargs)
                IdempotentRequest.objects.create(
                    user=request.user,
                    key=key,
                    method=request.method,
                    path=request.path,
                    fingerprint=fingerprint,
                    status_code=response.status_code,
                    body=json.loads(json.dumps(response.data, default=str)),
                )
        except IntegrityError:
            # The same key won a race a moment ago: what it created stands, this one is undone.
            replay = self._replay(request, key, fingerprint)
            if replay is None:
                raise
            return replay
        return response

    def _replay(self, request, key, fingerprint):
        first = IdempotentRequest.objects.filter(user=request.user, key=key).first()
        if first is None:
            return None
        if first.fingerprint != fingerprint or first.path != request.path:
            raise IdempotencyKeyReused()
        return Response(first.body, status=first.status_code, headers={"Idempotent-Replayed": "true"})
