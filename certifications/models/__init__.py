"""The certifications app's rows: certificates and their scope (certificates.py), inspections and their
checklists (inspections.py), the internal control system's year (ics.py)."""

from .certificates import (
    CERTIFICATE_YEARS,
    STANDARD_NAMES,
    Certificate,
    CertificateQuerySet,
    CoverageQuerySet,
    CoveredPlot,
    CoveredProducer,
    Standard,
    standard_name,
)
from .ics import (
    ApprovalDecision,
    CampaignAssignment,
    ExternalSample,
    InspectionCampaign,
    SampledMember,
    Sanction,
    SanctionKind,
    SanctionType,
)
from .inspections import (
    ChecklistQuestion,
    ChecklistTemplate,
    ChecklistTemplateQuerySet,
    Inspection,
    InspectionQuerySet,
    NonConformity,
    NonConformityQuerySet,
)

__all__ = [
    "CERTIFICATE_YEARS",
    "STANDARD_NAMES",
    "ApprovalDecision",
    "CampaignAssignment",
    "Certificate",
    "CertificateQuerySet",
    "ChecklistQuestion",
    "ChecklistTemplate",
    "ChecklistTemplateQuerySet",
    "CoverageQuerySet",
    "CoveredPlot",
    "CoveredProducer",
    "ExternalSample",
    "Inspection",
    "InspectionCampaign",
    "InspectionQuerySet",
    "NonConformity",
    "NonConformityQuerySet",
    "SampledMember",
    "Sanction",
    "SanctionKind",
    "SanctionType",
    "Standard",
    "standard_name",
]
