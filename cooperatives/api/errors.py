from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import ProtectedError, RestrictedError
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from drf_standardized_errors.handler import exception_handler as standardized_handler
from rest_framework import status
from rest_framework.exceptions import APIException, ValidationError

from .serializers import model_errors


class StillReferenced(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("Other records still refer to this one: change or remove them first.")
    default_code = "still_referenced"


class RequestTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "request_too_large"

    def __init__(self):
        super().__init__(too_large_message())


def too_large_message():
    """What a body over DATA_UPLOAD_MAX_MEMORY_SIZE is told, on the pages and in the API."""
    size_mb = settings.DATA_UPLOAD_MAX_MEMORY_SIZE / 1024 / 1024
    return _(
        "This request is larger than the %(size)s MB the server accepts: send fewer or smaller items at a time "
        "(files go as uploads, which may be larger)."
    ) % {"size": number_format(size_mb, 1)}


def exception_handler(exc, context):
    """One error shape for everything; the model's and the services' own checks answer 400 like the serializer's,
    a row that others still refer to (on_delete=PROTECT or RESTRICT) 409 whoever deletes it, and a body over
    DATA_UPLOAD_MAX_MEMORY_SIZE 413."""
    if isinstance(exc, DjangoValidationError):
        exc = ValidationError(model_errors(exc, None))
    elif isinstance(exc, ProtectedError | RestrictedError):
        exc = StillReferenced()
    elif isinstance(exc, RequestDataTooBig):
        exc = RequestTooLarge()
    return standardized_handler(exc, context)
