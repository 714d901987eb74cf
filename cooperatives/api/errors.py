from django.core.exceptions import ValidationError as DjangoValidationError
from drf_standardized_errors.handler import exception_handler as standardized_handler
from rest_framework.exceptions import ValidationError
from rest_framework.serializers import as_serializer_error


def exception_handler(exc, context):
    """One error shape for everything; the model's and the services' own checks answer 400 like the serializer's."""
    if isinstance(exc, DjangoValidationError):
        exc = ValidationError(as_serializer_error(exc))
    return standardized_handler(exc, context)
