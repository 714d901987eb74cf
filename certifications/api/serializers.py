from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from certifications.models import Certificate, CoveredPlot, CoveredProducer, Inspection, NonConformity, Standard
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
            "checklist",
            "findings",
            "sanction",
            "sanctioned_plot",
            "decision",
            "non_conformities",
            "modified",
        ]
        read_only_fields = ["modified"]
