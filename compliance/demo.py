"""Demo compliance data: requirement types with rules, records in every status, a published policy
with some acknowledgements, retention rules. Idempotent: types/rules/policies are looked up by
name, and records/acknowledgements are only created when none exist yet. Records are
bulk-created (one audit event per seeding run, not one per row) so seeding stays fast."""

from datetime import timedelta

from django.utils import timezone

from accounts.demo import DemoContext
from audit.models import AuditEvent
from audit.services import audit_record
from compliance.models import (
    Acknowledgement,
    ComplianceRecord,
    LegalHold,
    Policy,
    PolicyOpen,
    RequirementKind,
    RequirementRule,
    RequirementType,
    RetentionRule,
)
from compliance.selectors import active_rules, employees_in_scope, types_for_employee
from compliance.services.policies import policy_create, policy_version_publish
from compliance.services.retention import legal_hold_place
from compliance.services.statuses import compliance_status_refresh
from employees.models import Department, Employee, JobTitle

TYPES = [
    # name, kind, evidence, validity months, country, rule (scope, target)
    ("US Form I-9", RequirementKind.RIGHT_TO_WORK,
     "Form I-9 with List A, or List B and C documents", None, "US", ("country", "US")),
    ("UK right-to-work check", RequirementKind.RIGHT_TO_WORK,
     "Passport, BRP or Home Office share code check", None, "GB", ("country", "GB")),
    ("Information security training", RequirementKind.TRAINING,
     "Course completion certificate", 12, "", ("everyone", None)),
    ("Anti-harassment training", RequirementKind.TRAINING,
     "Course completion certificate", 24, "", ("employment_type", "full_time")),
    ("Forklift licence", RequirementKind.LICENCE,
     "Licence card (both sides)", None, "", ("job_title", "Warehouse Operative")),
    ("Financial background check", RequirementKind.BACKGROUND_CHECK,
     "Background screening report", 36, "", ("department", "FIN")),
]

POLICY_TEXT = """Our Code of Conduct sets out how we work with each other, our customers and
partners.

1. Treat everyone with respect. Harassment and discrimination are never acceptable.
2. Protect company and customer information; report security incidents at once.
3. Avoid conflicts of interest and declare gifts over 50 GBP/USD.
4. Speak up: report concerns to your manager, HR, or the confidential line.

Breaches of this code may lead to disciplinary action."""


def _rule(rtype: RequirementType, scope: str, target: object) -> None:
    data: dict[str, object] = {"scope": scope}
    if scope == "country":
        data["country"] = target
    elif scope == "employment_type":
        data["employment_type"] = target
    elif scope == "job_title":
        title = JobTitle.objects.filter(name=target).first()
        if title is None:
            return
        data["job_title"] = title
    elif scope == "department":
        dept = Department.objects.filter(code=target).first()
        if dept is None:
            return
        data["department"] = dept
    RequirementRule.objects.get_or_create(requirement_type=rtype, **data)


def _types() -> list[RequirementType]:
    types = []
    for name, kind, evidence, months, country, (scope, target) in TYPES:
        rtype, _ = RequirementType.objects.get_or_create(
            name=name,
            defaults={"kind": kind, "evidence_required": evidence, "validity_months": months,
                      "country": country, "requires_document": True},
        )
        _rule(rtype, scope, target)
        types.append(rtype)
    by_name = {t.name: t for t in types}
    RetentionRule.objects.get_or_create(
        name="US Form I-9 (3 years after hire or 1 year after termination)",
        defaults={"requirement_type": by_name["US Form I-9"], "years_after_hire": 3,
                  "years_after_end": 1},
    )
    RetentionRule.objects.get_or_create(
        name="UK right-to-work copies (2 years after employment ends)",
        defaults={"requirement_type": by_name["UK right-to-work check"], "years_after_end": 2},
    )
    # The employee record itself (compliance migration 0003 creates it too; a flushed database
    # gets it back here). Keyed on the kind: there is at most one such rule.
    RetentionRule.objects.get_or_create(
        kind=RetentionRule.Kind.EMPLOYEE_RECORD,
        defaults={"name": "Employee record: 6 years after employment ends (default, review)",
                  "years_after_end": 6, "action": RetentionRule.Action.ANONYMISE},
    )
    return types


def _record_for(ctx: DemoContext, employee: Employee, rtype: RequirementType, pick: str,
                hr_user) -> ComplianceRecord | None:
    today = timezone.localdate()
    rng = ctx.rng
    if pick == "missing":
        return None
    valid_days = {
        "compliant": rng.randint(120, 600), "expiring": rng.randint(0, 25),
        "expired": -rng.randint(1, 120), "pending": rng.randint(200, 500),
    }[pick]
    valid_until = today + timedelta(days=valid_days)
    completed = valid_until - timedelta(days=30 * (rtype.validity_months or 24))
    completed = min(completed, today - timedelta(days=1))
    record = ComplianceRecord(
        employee=employee, requirement_type=rtype, completed_on=completed,
        expires_on=valid_until, evidence_name=f"{rtype.name.lower().replace(' ', '-')}.pdf",
        document_kind={"right_to_work": "Passport", "licence": "Licence card"}.get(
            rtype.kind, "Certificate"),
        issuer={"licence": "RTITB", "training": "HROps Learning",
                "background_check": "Screening Ltd"}.get(rtype.kind, ""),
        submitted_by=employee.user,
    )
    if rtype.kind == RequirementKind.RIGHT_TO_WORK:
        # Permanent permission: no expiry; time-limited: re-verify by the date.
        record.expires_on = None
        record.reverify_on = valid_until if pick != "compliant" else None
    if pick != "pending":
        record.verification = ComplianceRecord.Verification.VERIFIED
        record.verified_by = hr_user
        record.verified_at = timezone.now()
    return record


def seed(ctx: DemoContext) -> None:
    types = _types()
    hr_user = ctx.users.get("hr.admin@demo.hrops.test")
    employees = list(employees_in_scope().order_by("employee_number"))
    if not ComplianceRecord.objects.filter(requirement_type__in=types).exists():
        weights = [("compliant", 60), ("expiring", 10), ("expired", 8), ("missing", 12),
                   ("pending", 10)]
        choices = [name for name, w in weights for _ in range(w)]
        records = []
        rules = active_rules()
        for index, employee in enumerate(employees):
            for n, rtype in enumerate(types_for_employee(employee, rules)):
                if rtype.kind == RequirementKind.POLICY:
                    continue
                # The first people cycle through every status so each one is on show.
                pick = (["compliant", "expiring", "expired", "missing", "pending"][
                    (index + n) % 5] if index < 10 else ctx.rng.choice(choices))
                record = _record_for(ctx, employee, rtype, pick, hr_user)
                if record is not None:
                    records.append(record)
        ComplianceRecord.objects.bulk_create(records)
        if records:
            audit_record(actor=None, action=AuditEvent.Action.CREATE, obj=records[0],
                         source=AuditEvent.Source.SYSTEM,
                         note=f"Demo data: {len(records)} compliance records seeded")
    _policy(ctx, employees, hr_user)
    _old_leavers(types, hr_user)
    # The demo writes records in bulk (not through the services): store their statuses.
    compliance_status_refresh()


# The two long-gone leavers of the employees demo: their I-9s are due for deletion, and a legal
# hold keeps the second person (and everything of theirs) out of the purge.
OLD_LEAVER_HOLD = {"E9002": "Employment tribunal claim (demo): keep everything"}


def _old_leavers(types: list[RequirementType], hr_user) -> None:
    i9 = next((t for t in types if t.name.startswith("US Form I-9")), None)
    for person in Employee.objects.filter(employee_number__in=["E9001", "E9002"],
                                          anonymised_at__isnull=True):
        if i9 is not None and not ComplianceRecord.objects.filter(employee=person).exists():
            ComplianceRecord.objects.create(
                employee=person, requirement_type=i9, completed_on=person.hire_date,
                document_kind="US passport", evidence_name="i-9.pdf",
                verification=ComplianceRecord.Verification.VERIFIED, verified_by=hr_user,
                verified_at=timezone.now())
        reason = OLD_LEAVER_HOLD.get(person.employee_number)
        if reason and not LegalHold.objects.filter(employee=person).exists():
            legal_hold_place(acting_user=hr_user, employee=person, reason=reason)


def _policy(ctx: DemoContext, employees: list[Employee], hr_user) -> None:
    policy = Policy.objects.filter(title="Code of Conduct").first()
    if policy is None:
        policy = policy_create(acting_user=hr_user, title="Code of Conduct",
                               summary="How we behave at work. Everyone acknowledges it.")
    version = policy.versions.order_by("-number").first()
    if version is None:
        version = policy_version_publish(acting_user=hr_user, policy=policy, label="2026.1",
                                         body=POLICY_TEXT)
    if Acknowledgement.objects.filter(version=version).exists():
        return
    now = timezone.now()
    acked = [e for e in employees if ctx.rng.random() < 0.6]
    PolicyOpen.objects.bulk_create(
        [PolicyOpen(version=version, employee=e) for e in acked], ignore_conflicts=True
    )
    Acknowledgement.objects.bulk_create([
        Acknowledgement(version=version, employee=e, user=e.user,
                        version_hash=version.content_hash, opened_at=now)
        for e in acked
    ])
