from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from certifications.forms import checklist_answers_clean
from certifications.models import (
    ApprovalDecision,
    CampaignAssignment,
    Certificate,
    CoveredPlot,
    CoveredProducer,
    ExternalSample,
    Inspection,
    InspectionCampaign,
    NonConformity,
    SampledMember,
    Sanction,
    SanctionType,
    Standard,
)
from certifications.services import (
    approval_decide,
    campaign_assign,
    inspection_checklist_version,
    sample_draw,
    sanction_impose,
)
from cooperatives.api.serializers import NestedRowSerializer, OwnedSerializer
from cooperatives.models import Cooperative


class StandardCodeField(serializers.SlugRelatedField):
    """A certification standard by its code (`eu-organic`, `fairtrade`): reference data, the same for all."""

    def __init__(self, **kwargs):
        if not kwargs.get("read_only"):
            kwargs["queryset"] = Standard.objects.all()
        super().__init__(slug_field="code", **kwargs)


class InspectorField(serializers.PrimaryKeyRelatedField):
    """A person who works for one of the caller's cooperatives, by id; anyone else "does not exist"."""

    def __init__(self, **kwargs):
        super().__init__(queryset=get_user_model().objects.all(), **kwargs)

    def get_queryset(self):
        user = self.context["request"].user
        return (
            super()
            .get_queryset()
            .filter(memberships__cooperative__in=Cooperative.objects.for_user(user).values("pk"))
            .distinct()
        )


# Certificates


class CoveredProducerSerializer(NestedRowSerializer):
    class Meta:
        model = CoveredProducer
        fields = ["id", "producer", "included_on", "excluded_on"]


class CoveredPlotSerializer(NestedRowSerializer):
    class Meta:
        model = CoveredPlot
        fields = ["id", "plot", "included_on", "excluded_on"]


class CertificateSerializer(OwnedSerializer):
    standard = StandardCodeField()
    covered_producers = CoveredProducerSerializer(many=True, required=False)
    covered_plots = CoveredPlotSerializer(many=True, required=False)

    nested_rows = {"covered_producers": "producer", "covered_plots": "plot"}

    class Meta:
        model = Certificate
        fields = [
            "id",
            "cooperative",
            "standard",
            "number",
            "certification_body",
            "scope",
            "valid_from",
            "valid_to",
            "covered_producers",
            "covered_plots",
            "modified",
        ]
        read_only_fields = ["modified"]


# Inspections


class NonConformitySerializer(NestedRowSerializer):
    id = serializers.IntegerField(required=False, help_text=_("Give it to change a row; leave it out to add one."))

    class Meta:
        model = NonConformity
        fields = [
            "id",
            "description",
            "severity",
            "corrective_action",
            "deadline",
            "closed_on",
            "closing_evidence",
        ]


class InspectionSerializer(OwnedSerializer):
    """The checklist answers are checked as the inspection page checks them (checklist_answers_clean),
    against the version given or, without one, the standard's current version (or the inspection's own,
    when it has one of its standard)."""

    standard = StandardCodeField(required=False, allow_null=True)
    inspector = InspectorField()
    non_conformities = NonConformitySerializer(many=True, required=False)

    cooperative_from = "producer"
    nested_rows = {"non_conformities": "id"}

    class Meta:
        model = Inspection
        fields = [
            "id",
            "cooperative",
            "producer",
            "standard",
            "inspector",
            "date",
            "checklist_template",
            "checklist",
            "findings",
            "decision",
            "non_conformities",
            "modified",
        ]
        read_only_fields = ["modified"]

    def validate(self, attrs):
        instance = self.instance
        if instance is None or {"standard", "checklist_template", "checklist"} & attrs.keys():
            self._check_checklist(attrs, instance)
        return super().validate(attrs)

    def _check_checklist(self, attrs, instance):
        given = attrs.get("standard", instance and instance.standard)
        standard, template = inspection_checklist_version(
            standard=given, template=attrs.get("checklist_template"), inspection=instance
        )
        if given is None and standard is not None:
            attrs["standard"] = standard
        attrs["checklist_template"] = template
        if template is not None and template.standard_id != standard.pk:
            return  # Inspection.clean() refuses a version of another standard, beside the field.
        answers = attrs.get("checklist", instance.checklist if instance else {})
        if template is None:
            if answers and standard is None:
                raise serializers.ValidationError(
                    {"standard": [_("Give the standard: its checklist asks the questions.")]}
                )
            if answers:
                raise serializers.ValidationError({"checklist": [_("This standard has no checklist.")]})
            return
        try:
            attrs["checklist"] = checklist_answers_clean(
                template, answers, kept=instance.checklist if instance else None
            )
        except DjangoValidationError as error:
            detail = error.message_dict if hasattr(error, "error_dict") else error.messages
            raise serializers.ValidationError({"checklist": detail}) from None


# The internal control system's year: campaigns, sanctions, approvals, samples


class FixedOnChangeMixin:
    """A row whose `fixed_on_change` fields say what it is about: a change of them is refused with
    `fixed_message` (a new row is posted instead), since the service behind it replaces by them."""

    fixed_on_change = []
    fixed_message = ""

    def validate(self, attrs):
        if self.instance is not None:
            errors = {
                name: [self.fixed_message]
                for name in self.fixed_on_change
                if name in attrs and attrs[name] != getattr(self.instance, name)
            }
            if errors:
                raise serializers.ValidationError(errors)
        return attrs


class CampaignAssignmentSerializer(FixedOnChangeMixin, OwnedSerializer):
    """Written by services.campaign_assign, as the campaign page assigns: an inspector's own family is
    refused with the page's message, and a family already assigned in the campaign changes hands."""

    inspector = InspectorField()

    cooperative_from = "campaign"
    # Which family of which campaign an assignment is about: to assign another, post a new one.
    fixed_on_change = ["campaign", "producer"]

    class Meta:
        model = CampaignAssignment
        fields = ["id", "cooperative", "campaign", "producer", "inspector"]
        # Not DRF's unique-together refusal: assigning a family again gives it to the new inspector.
        validators = []

    # The rows are checked by campaign_assign (its own-family and cooperative rules).
    fixed_message = _("An assignment stays about its campaign and family: post a new assignment instead.")

    def create(self, validated_data):
        return self._assign(validated_data["campaign"], validated_data["producer"], validated_data["inspector"])

    def update(self, instance, validated_data):
        return self._assign(instance.campaign, instance.producer, validated_data.get("inspector", instance.inspector))

    def _assign(self, campaign, producer, inspector):
        (assignment,) = campaign_assign(campaign=campaign, producers=[producer], inspector=inspector)
        return assignment


class InspectionCampaignSerializer(OwnedSerializer):
    standard = StandardCodeField()

    class Meta:
        model = InspectionCampaign
        fields = ["id", "cooperative", "standard", "year", "starts_on", "ends_on", "modified"]
        read_only_fields = ["modified"]


class SanctionTypeSerializer(OwnedSerializer):
    class Meta:
        model = SanctionType
        fields = ["id", "cooperative", "name", "kind", "description", "active"]


class SanctionSerializer(OwnedSerializer):
    """A sanction is imposed with its effects (services.sanction_impose) and not changed afterwards."""

    cooperative_from = "producer"

    class Meta:
        model = Sanction
        fields = [
            "id",
            "cooperative",
            "sanction_type",
            "kind",
            "producer",
            "plot",
            "starts_on",
            "reason",
            "inspection",
            "non_conformity",
            "imposed_by",
            "created",
        ]
        read_only_fields = ["kind", "imposed_by", "created"]

    def validate(self, attrs):
        if attrs.get("sanction_type") is not None:
            # The kind is the catalogue entry's: the model's own checks read it.
            attrs["kind"] = attrs["sanction_type"].kind
        return super().validate(attrs)

    def create(self, validated_data):
        return sanction_impose(
            sanction_type=validated_data["sanction_type"],
            producer=validated_data["producer"],
            plot=validated_data.get("plot"),
            starts_on=validated_data["starts_on"],
            reason=validated_data["reason"],
            inspection=validated_data.get("inspection"),
            non_conformity=validated_data.get("non_conformity"),
            imposed_by=self.context["request"].user,
        )


class ApprovalDecisionSerializer(FixedOnChangeMixin, OwnedSerializer):
    """The ICS committee's decision, written by services.approval_decide: posting a second decision for
    the same family, standard and year replaces the first, as the page and the admin do."""

    standard = StandardCodeField()

    cooperative_from = "producer"
    # Which decision a change is about: to decide on another family, standard or year, post a new one.
    fixed_on_change = ["producer", "standard", "year"]

    class Meta:
        model = ApprovalDecision
        fields = [
            "id",
            "cooperative",
            "producer",
            "standard",
            "year",
            "decision",
            "decided_on",
            "reason",
            "inspection",
            "decided_by",
            "modified",
        ]
        read_only_fields = ["decided_by", "modified"]
        # Not DRF's unique-together refusal: a repeated decision replaces the year's (approval_decide).
        validators = []

    # The row is checked by approval_decide (clean(), the once-a-year rule as a replacement).
    fixed_message = _("A decision stays about its family, standard and year: post a new decision instead.")

    # What approval_decide is given; what a change leaves out stays as the decision had it.
    written = ("producer", "standard", "year", "decision", "decided_on", "reason", "inspection")

    def create(self, validated_data):
        return self._decide(validated_data)

    def update(self, instance, validated_data):
        return self._decide({name: getattr(instance, name) for name in self.written} | validated_data)

    def _decide(self, data):
        arguments = {name: data[name] for name in self.written if name in data}
        return approval_decide(**arguments, decided_by=self.context["request"].user)


class SampledMemberSerializer(NestedRowSerializer):
    class Meta:
        model = SampledMember
        fields = ["producer", "unannounced"]


class ExternalSampleSerializer(OwnedSerializer):
    """A sample is drawn by the server (services.sample_draw): the client gives the seed and the reason."""

    standard = StandardCodeField()
    members = SampledMemberSerializer(many=True, read_only=True)

    class Meta:
        model = ExternalSample
        fields = [
            "id",
            "cooperative",
            "standard",
            "year",
            "seed",
            "reason",
            "population",
            "drawn_on",
            "drawn_by",
            "members",
        ]
        read_only_fields = ["population", "drawn_on", "drawn_by"]

    def validate(self, attrs):
        # The members and their number are the draw's: sample_draw checks the rest.
        return attrs

    def create(self, validated_data):
        return sample_draw(**validated_data, drawn_by=self.context["request"].user)
