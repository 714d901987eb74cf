"""How the OpenAPI contract describes Minka's own authentication and error answers."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import PolymorphicProxySerializer
from drf_standardized_errors.openapi import AutoSchema as StandardizedErrorsAutoSchema
from drf_standardized_errors.openapi_serializers import ClientErrorEnum, ValidationErrorEnum
from rest_framework import serializers

from .errors import RequestTooLarge, exception_handler


class Error409Serializer(serializers.Serializer):
    code = serializers.CharField(help_text="`still_referenced`")
    detail = serializers.CharField()
    attr = serializers.CharField(allow_null=True)


class ErrorResponse409Serializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=ClientErrorEnum.choices)
    errors = Error409Serializer(many=True)


class Error413Serializer(serializers.Serializer):
    code = serializers.CharField(help_text=f"`{RequestTooLarge.default_code}`")
    detail = serializers.CharField()
    attr = serializers.CharField(allow_null=True)


class ErrorResponse413Serializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=ClientErrorEnum.choices)
    errors = Error413Serializer(many=True)


# The further answers of Minka's own: a row that others still refer to cannot be deleted
# (cooperatives.api.errors.StillReferenced), and a body too large is refused (cooperatives.api.errors).
EXTRA_ERRORS = {
    "409": (("DELETE",), ErrorResponse409Serializer),
    "413": (("POST", "PUT", "PATCH"), ErrorResponse413Serializer),
}


class InputErrorSerializer(serializers.Serializer):
    code = serializers.CharField()
    detail = serializers.CharField()
    attr = serializers.CharField(
        allow_null=True, help_text="The field, `non_field_errors` for the request as a whole, or null."
    )


class InputErrorsResponseSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=ValidationErrorEnum.choices)
    errors = InputErrorSerializer(many=True)


class ClientErrorResponseSerializer(serializers.Serializer):
    """A body that cannot be read (JSON malformed or nested too deep, a lone surrogate, a number beyond a float)."""

    type = serializers.ChoiceField(choices=ClientErrorEnum.choices)
    errors = InputErrorSerializer(many=True)


class PartnerKeyScheme(OpenApiAuthenticationExtension):
    target_class = "cooperatives.api.authentication.PartnerKeyAuthentication"
    name = "ApiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Api-Key <key>` (or `Bearer <key>`), as issued by the cooperative.",
        }


class AutoSchema(StandardizedErrorsAutoSchema):
    """drf-standardized-errors' schema, which documents the error answers each operation can give.

    That schema documents them only for views whose exception handler is the package's own; Minka's
    (cooperatives.api.errors.exception_handler) is that handler after turning Django's ValidationError into
    the same 400 and a body too large into 413, so its answers are the package's and are documented alike,
    with Minka's further ones (EXTRA_ERRORS).

    A 400's errors are documented as field, code and message, not as the package's list of each field's
    codes: that list knows the serializer's fields only, not the model's own checks (clean(), constraints),
    the services' or the parsers', so answers the API does give would break the contract.
    """

    def _get_allowed_error_status_codes(self):
        return [*super()._get_allowed_error_status_codes(), *EXTRA_ERRORS]

    def _should_add_error_response(self, responses, status_code):
        if self.view.get_exception_handler() is not exception_handler or status_code in responses:
            return super()._should_add_error_response(responses, status_code)
        if status_code == "400":
            return True  # a model's or a service's own check can refuse any request (a DELETE too)
        if status_code in EXTRA_ERRORS:
            return self.method in EXTRA_ERRORS[status_code][0]
        return getattr(self, f"_should_add_http{status_code}_error_response", lambda: True)()

    def _get_error_response_serializer(self, status_code):
        if status_code in EXTRA_ERRORS:
            return EXTRA_ERRORS[status_code][1]
        return super()._get_error_response_serializer(status_code)

    def _get_http400_serializer(self):
        if self.view.get_exception_handler() is not exception_handler:
            return super()._get_http400_serializer()
        return PolymorphicProxySerializer(
            component_name="ErrorResponse400",
            serializers={
                "validation_error": InputErrorsResponseSerializer,
                "client_error": ClientErrorResponseSerializer,
            },
            resource_type_field_name="type",
        )
