"""Only supported jurisdictions (never another country's taxes), flags recomputed from current
data on every calculation, and many flags overridden at once with one comment."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from audit.models import AuditEvent
from employees.models import BankAccount
from employees.services.bank import bank_account_deactivate
from payroll.models import PayPeriod, PayRun, PaySchedule, PayslipLine, UnsupportedJurisdiction
from payroll.services.overrides import payslip_flags_override_bulk, run_overridable_flags
from payroll.services.runs import (
    blocking_payslips,
    payslip_flag_override,
    run_approve,
    run_calculate,
    run_create,
)
from tests.factories.employees import CompensationRecordFactory, EmployeeFactory
from tests.factories.employees_records import BankAccountFactory
from tests.factories.payroll_runs import paid_employee
from tests.payroll_runs.helpers import calculated_run, login

pytestmark = pytest.mark.django_db


def _recalculate(run, user, capture):
    with capture(execute=True):
        run_calculate(run=run, acting_user=user)
    run.refresh_from_db()
    assert run.status == PayRun.Status.CALCULATED, run.last_error


def _codes(payslip) -> list[str]:
    payslip.refresh_from_db()
    return [f["code"] for f in payslip.flags]


# --- jurisdictions ---------------------------------------------------------------------------

def test_countries_map_explicitly_and_anything_else_raises():
    assert PaySchedule(country="GB").jurisdiction == "UK"
    assert PaySchedule(country="US").jurisdiction == "US"
    with pytest.raises(UnsupportedJurisdiction, match="IE, which the payroll engine does not"):
        PaySchedule(name="Dublin", country="IE").jurisdiction  # noqa: B018


def test_a_schedule_for_an_unsupported_country_fails_validation():
    schedule = PaySchedule(name="Dublin monthly", frequency="monthly", country="IE",
                           currency="EUR", first_period_start=date(2026, 1, 1))
    with pytest.raises(ValidationError) as caught:
        schedule.full_clean()
    assert "Payroll cannot be run for country IE" in " ".join(caught.value.message_dict["country"])


def test_admin_refuses_a_schedule_for_an_unsupported_country(client, admin_user):
    # given the admin's add form
    login(client, admin_user)
    data = {"name": "Dublin monthly", "frequency": "monthly", "country": "IE", "currency": "EUR",
            "first_period_start": "2026-01-01", "pay_date_offset_days": "0",
            "proration_basis": "calendar_days", "variance_threshold_percent": "10"}
    # when an Irish schedule is submitted
    response = client.post(reverse("admin:payroll_payschedule_add"), data)
    # then it is refused with the reason, and nothing is written
    assert response.status_code == 200
    assert "Payroll cannot be run for country IE" in response.content.decode()
    assert not PaySchedule.objects.filter(name="Dublin monthly").exists()


@pytest.fixture
def irish_run(payroll_admin):
    """Existing data from before validation: an EUR schedule for Ireland with one employee."""
    schedule = PaySchedule.objects.create(name="Dublin monthly", frequency="monthly",
                                          country="IE", currency="EUR",
                                          first_period_start=date(2026, 1, 1))
    period = PayPeriod.objects.create(schedule=schedule, number=1, start_date=date(2026, 1, 1),
                                      end_date=date(2026, 1, 31), pay_date=date(2026, 1, 30))
    employee = EmployeeFactory(work_country="IE")
    CompensationRecordFactory(employee=employee, annual_salary=Decimal("48000"), currency="EUR",
                              pay_schedule=schedule)
    return run_create(schedule=schedule, period=period, acting_user=payroll_admin)


def test_existing_unsupported_schedule_gets_a_blocking_error_never_us_tax(
        irish_run, payroll_admin, second_payroll_admin, django_capture_on_commit_callbacks):
    # when the Irish run is calculated
    _recalculate(irish_run, payroll_admin, django_capture_on_commit_callbacks)
    payslip = irish_run.payslips.get()
    # then no line at all (no FIT, Social Security or Medicare), and a blocking error that
    # cannot be overridden
    assert not PayslipLine.objects.filter(payslip=payslip).exists()
    [flag] = [f for f in payslip.flags if f["code"] == "calculation_error"]
    assert "country IE" in flag["message"] and not flag["overridable"]
    with pytest.raises(ValidationError, match="cannot be overridden"):
        payslip_flag_override(payslip=payslip, code="calculation_error", comment="ok",
                              acting_user=payroll_admin)
    with pytest.raises(ValidationError, match="blocking flags"):
        run_approve(run=irish_run, acting_user=second_payroll_admin)


def test_generating_periods_for_an_unsupported_schedule_is_a_message_not_a_500(
        client, irish_run, payroll_admin):
    login(client, payroll_admin)
    response = client.post(reverse("payroll:schedule_generate", args=[irish_run.schedule_id]),
                           follow=True)
    assert response.status_code == 200
    assert "does not support" in response.content.decode()


# --- flags recomputed from current data ------------------------------------------------------

def test_removing_the_only_bank_account_flags_it_on_recalculation(
        uk_schedule, uk_staff, payroll_admin, hr_admin, django_capture_on_commit_callbacks):
    # given a calculated run where everyone has an account
    run = calculated_run(uk_schedule, 1, payroll_admin, django_capture_on_commit_callbacks)
    payslip = run.payslips.get(employee=uk_staff[0])
    assert "missing_bank_details" not in _codes(payslip)
    # when that person's only account is removed and the run recalculated
    bank_account_deactivate(acting_user=hr_admin,
                            account=BankAccount.objects.get(employee=uk_staff[0]))
    _recalculate(run, payroll_admin, django_capture_on_commit_callbacks)
    # then the flag is there (same payslip row, recalculated), and only for them
    assert "missing_bank_details" in _codes(payslip)
    assert "missing_bank_details" not in _codes(run.payslips.get(employee=uk_staff[1]))


def test_adding_a_bank_account_clears_the_blocking_flag(uk_schedule, payroll_admin,
                                                        django_capture_on_commit_callbacks):
    # given someone without an account: blocked
    employee = paid_employee(uk_schedule, bank=False)
    run = calculated_run(uk_schedule, 1, payroll_admin, django_capture_on_commit_callbacks)
    assert blocking_payslips(run) == 1
    # when an account is added and the run recalculated
    BankAccountFactory(employee=employee)
    _recalculate(run, payroll_admin, django_capture_on_commit_callbacks)
    # then the old flag no longer blocks
    assert _codes(run.payslips.get(employee=employee)) == []
    assert blocking_payslips(run) == 0


def test_an_override_survives_a_recalculation_when_nothing_changed(
        uk_schedule, payroll_admin, django_capture_on_commit_callbacks):
    employee = paid_employee(uk_schedule, bank=False)
    run = calculated_run(uk_schedule, 1, payroll_admin, django_capture_on_commit_callbacks)
    payslip = run.payslips.get(employee=employee)
    payslip_flag_override(payslip=payslip, code="missing_bank_details", comment="cheque",
                          acting_user=payroll_admin)
    _recalculate(run, payroll_admin, django_capture_on_commit_callbacks)
    payslip.refresh_from_db()
    assert [o["comment"] for o in payslip.overrides] == ["cheque"]


def test_adding_tax_details_clears_missing_tax_setup(uk_schedule, payroll_admin,
                                                     django_capture_on_commit_callbacks):
    from payroll.models import TaxProfile

    employee = paid_employee(uk_schedule, tax=False)
    run = calculated_run(uk_schedule, 1, payroll_admin, django_capture_on_commit_callbacks)
    assert "missing_tax_setup" in _codes(run.payslips.get(employee=employee))
    # a profile that matches the emergency defaults exactly (1257L week 1/month 1, category A)
    TaxProfile.objects.create(employee=employee, jurisdiction="UK", tax_code="1257L",
                              week1_month1=True, ni_category="A")
    _recalculate(run, payroll_admin, django_capture_on_commit_callbacks)
    assert "missing_tax_setup" not in _codes(run.payslips.get(employee=employee))


# --- bulk override ---------------------------------------------------------------------------

@pytest.fixture
def unbanked_run(uk_schedule, payroll_admin, django_capture_on_commit_callbacks):
    staff = [paid_employee(uk_schedule, bank=False) for _ in range(3)]
    paid_employee(uk_schedule)
    run = calculated_run(uk_schedule, 1, payroll_admin, django_capture_on_commit_callbacks)
    return run, staff


def test_bulk_override_clears_every_flag_with_one_comment(unbanked_run, payroll_admin,
                                                          second_payroll_admin):
    run, staff = unbanked_run
    assert run_overridable_flags(run) == {"missing_bank_details": 3}
    events = AuditEvent.objects.count()
    # when all three are overridden at once
    n = payslip_flags_override_bulk(run=run, code="missing_bank_details",
                                    comment="Paid by cheque", acting_user=payroll_admin)
    # then each payslip records the override (who, why), one audit event each plus the run's
    assert n == 3
    for payslip in run.payslips.filter(employee__in=staff):
        assert [(o["code"], o["comment"], o["by"]) for o in payslip.overrides] == [
            ("missing_bank_details", "Paid by cheque", payroll_admin.email)]
    assert AuditEvent.objects.count() == events + 4
    assert AuditEvent.objects.filter(object_type="payroll.payslip", note="Paid by cheque",
                                     employee_id__in=[e.pk for e in staff]).count() == 3
    assert blocking_payslips(run) == 0
    run_approve(run=run, acting_user=second_payroll_admin)


def test_bulk_override_of_some_employee_numbers_only(unbanked_run, payroll_admin):
    run, staff = unbanked_run
    n = payslip_flags_override_bulk(run=run, code="missing_bank_details", comment="cheque",
                                    employee_numbers=[staff[0].employee_number.lower()],
                                    acting_user=payroll_admin)
    assert n == 1 and blocking_payslips(run) == 2


@pytest.mark.parametrize("kwargs, message", [
    ({"code": "missing_bank_details", "comment": "  "}, "Say why"),
    ({"code": "calculation_error", "comment": "x"}, "no payslip in this run has that flag"),
    ({"code": "missing_bank_details", "comment": "x", "employee_numbers": ["NOPE1"]},
     "Not paid in this run: nope1"),
])
def test_bad_bulk_overrides_are_refused_and_write_nothing(unbanked_run, payroll_admin, kwargs,
                                                          message):
    run, _staff = unbanked_run
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError, match=f"(?i){message}"):
        payslip_flags_override_bulk(run=run, acting_user=payroll_admin, **kwargs)
    assert AuditEvent.objects.count() == before
    assert all(p.overrides == [] for p in run.payslips.all())


def test_bulk_override_needs_a_calculated_run_and_a_payroll_admin(unbanked_run, payroll_admin,
                                                                  hr_admin):
    run, _staff = unbanked_run
    with pytest.raises(PermissionDenied):
        payslip_flags_override_bulk(run=run, code="missing_bank_details", comment="x",
                                    acting_user=hr_admin)
    PayRun.objects.filter(pk=run.pk).update(status=PayRun.Status.DRAFT)
    with pytest.raises(ValidationError, match="only on a calculated run"):
        payslip_flags_override_bulk(run=run, code="missing_bank_details", comment="x",
                                    acting_user=payroll_admin)


def test_bulk_override_views_and_permissions(client, unbanked_run, payroll_admin, hr_admin, org):
    run, _staff = unbanked_run
    form_url = reverse("payroll:run_bulk_override_form", args=[run.pk])
    post_url = reverse("payroll:run_bulk_override", args=[run.pk])
    # the run page loads the form by htmx through the one include
    login(client, payroll_admin)
    assert form_url in client.get(reverse("payroll:run_detail", args=[run.pk])).content.decode()
    body = client.get(form_url).content.decode()
    assert "No bank account (3)" in body
    # HR sees no form and may not post; managers and employees get 404
    login(client, hr_admin)
    assert client.get(form_url).content == b""
    assert client.post(post_url, {"code": "missing_bank_details", "comment": "x"}
                       ).status_code == 403
    for who in ("manager", "employee"):
        login(client, org.users[who])
        assert client.get(form_url).status_code == 404
        assert client.post(post_url, {}).status_code == 404
    # a payroll admin: an empty comment is refused with a message; a real one overrides all
    login(client, payroll_admin)
    response = client.post(post_url, {"code": "missing_bank_details", "comment": ""},
                           follow=True)
    assert "This field is required" in response.content.decode()
    assert blocking_payslips(run) == 3
    response = client.post(post_url, {"code": "missing_bank_details", "comment": "Cheques"},
                           follow=True)
    assert "overridden on 3 payslip(s)" in response.content.decode()
    assert blocking_payslips(run) == 0
