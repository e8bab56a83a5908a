import factory

from compliance.models import (
    ComplianceRecord,
    RequirementKind,
    RequirementRule,
    RequirementType,
)


class RequirementTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RequirementType

    name = factory.Sequence(lambda n: f"Requirement {n}")
    kind = RequirementKind.TRAINING
    evidence_required = "Certificate"
    requires_document = False


class RequirementRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RequirementRule

    requirement_type = factory.SubFactory(RequirementTypeFactory)
    scope = RequirementRule.Scope.EVERYONE


class ComplianceRecordFactory(factory.django.DjangoModelFactory):
    """Raw record (tests of services create records through compliance.services.records)."""

    class Meta:
        model = ComplianceRecord

    requirement_type = factory.SubFactory(RequirementTypeFactory)
    verification = ComplianceRecord.Verification.VERIFIED
