"""Member families as the API shows and takes them."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiSerializerExtension
from phonenumber_field.serializerfields import PhoneNumberField
from rest_framework import serializers

from cooperatives.api.permissions import sees_personal_data
from cooperatives.api.serializers import CooperativeOwnedSerializer
from cooperatives.validators import normalize_dni
from producers.models import HouseholdMember, Producer


class HouseholdMemberSerializer(serializers.ModelSerializer):
    class Meta:
        model = HouseholdMember
        fields = ["id", "name", "relation", "sex", "birth_year"]
        read_only_fields = fields


class ProducerSerializer(CooperativeOwnedSerializer):
    """A family. Its `status` changes only through POST .../status/, which keeps the history."""

    # Wider than the stored 8 digits: a CUI (DNI + check character) is accepted and normalised.
    dni = serializers.CharField(
        label=_("DNI"), max_length=12, help_text=_("8 digits, or the 9 characters of the CUI (DNI + check character).")
    )
    phone = PhoneNumberField(label=_("phone"), region="PE", required=False, allow_blank=True)
    household = HouseholdMemberSerializer(many=True, read_only=True)

    personal_fields = ("dni", "phone", "birth_date", "household")
    # What a caller who may not read personal data may still write: a field app enrolling a family
    # sends the DNI the member shows (the family needs one, unique in the cooperative), and never
    # reads it back. On a change it may be left out, so that a body read from this API can be sent again.
    writable_personal_fields = ("dni", "phone", "birth_date")

    class Meta:
        model = Producer
        fields = [
            "id",
            "cooperative",
            "code",
            "first_name",
            "last_name",
            "dni",
            "sex",
            "birth_date",
            "phone",
            "community",
            "district",
            "entry_date",
            "status",
            "household",
            "modified",
        ]
        read_only_fields = ["status", "modified"]

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None and not sees_personal_data(request):
            every = super(CooperativeOwnedSerializer, self).get_fields()
            for name in self.writable_personal_fields:
                field = every[name]
                field.write_only = True
                field.required = field.required and self.instance is None
                fields[name] = field
        return fields

    def validate_dni(self, value):
        try:
            return normalize_dni(value)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages, code=error.code) from None

    def validate_cooperative(self, value):
        if self.instance is not None and value.pk != self.instance.cooperative_id:
            raise serializers.ValidationError(_("A family cannot move to another cooperative."))
        return value

    def validate(self, attrs):
        if "phone" in attrs and attrs["phone"] is None:
            attrs["phone"] = ""
        return super().validate(attrs)


class ProducerStatusChangeSerializer(serializers.Serializer):
    """A step in a family's membership: producers.services.producer_change_status checks and records it."""

    status = serializers.ChoiceField(label=_("status"), choices=Producer.Status.choices)
    effective_date = serializers.DateField(
        label=_("effective date"), required=False, help_text=_("Today when not given.")
    )
    reason = serializers.CharField(label=_("reason"), required=False, allow_blank=True, default="")


class PersonalFieldsSchema(OpenApiSerializerExtension):
    """In answers, the personal fields are optional: callers who may not see personal data do not receive them."""

    target_class = ProducerSerializer

    def map_serializer(self, auto_schema, direction):
        schema = auto_schema._map_serializer(self.target, direction, bypass_extensions=True)
        if direction == "response":
            hidden = set(self.target.personal_fields)
            schema["required"] = [name for name in schema.get("required", []) if name not in hidden]
        return schema
