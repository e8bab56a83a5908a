import factory

from compliance.models import (
    ComplianceRecord,
    RequirementKind,
    RequirementRule,
    RequirementType,
)
from compliance.services.statuses import compliance_status_refresh


class RequirementTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RequirementType

    name = factory.Sequence(lambda n: f"Requirement {n}")
    kind = RequirementKind.TRAINING
    evidence_required = "Certificate"
    requires_document = False


class RequirementRuleFactory(factory.django.DjangoModelFactory):
    """A rule, with the stored statuses of its type refreshed as requirement_rule_save does."""

    class Meta:
        model = RequirementRule
        skip_postgeneration_save = True

    requirement_type = factory.SubFactory(RequirementTypeFactory)
    scope = RequirementRule.Scope.EVERYONE

    @factory.post_generation
    def statuses(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            compliance_status_refresh(type_ids=[self.requirement_type_id])


class ComplianceRecordFactory(factory.django.DjangoModelFactory):
    """Raw record (tests of services create records through compliance.services.records); the
    employee's stored statuses are refreshed as record_add does."""

    class Meta:
        model = ComplianceRecord
        skip_postgeneration_save = True

    requirement_type = factory.SubFactory(RequirementTypeFactory)
    verification = ComplianceRecord.Verification.VERIFIED

    @factory.post_generation
    def statuses(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            compliance_status_refresh(employee_ids=[self.employee_id])
