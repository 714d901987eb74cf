from django.core.exceptions import ValidationError as DjangoValidationError
from drf_standardized_errors.handler import exception_handler as standardized_handler
from rest_framework.exceptions import ValidationError

from .serializers import model_errors


def exception_handler(exc, context):
    """One error shape for everything; the model's and the services' own checks answer 400 like the serializer's."""
    if isinstance(exc, DjangoValidationError):
        exc = ValidationError(model_errors(exc, None))
    return standardized_handler(exc, context)
