"""The PAPDIS contributions file, re-enrolment at three years, and who may do what."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.roles import Role
from payroll.models import EmployeePayItem
from pensions.models import Letter, Membership, Reenrolment
from pensions.papdis import COLUMNS, papdis_csv
from pensions.services.optout import opt_out
from pensions.services.reenrolment import reenrol
from tests.factories.accounts import UserFactory
from tests.factories.employees import EmployeeFactory
from tests.payroll_runs.helpers import login
from tests.pensions.test_enrolment import _recalculate, calculated_run

pytestmark = pytest.mark.django_db
D = Decimal


def test_papdis_file_columns_and_values(scheme, worker, payroll_admin,
                                        django_capture_on_commit_callbacks):
    run = calculated_run(scheme.schedules.get(), 1, payroll_admin,
                         django_capture_on_commit_callbacks)
    run = _recalculate(run, payroll_admin, django_capture_on_commit_callbacks)
    rows = list(csv.reader(io.StringIO(papdis_csv(scheme, run).decode())))
    assert rows[0] == COLUMNS and len(rows) == 2
    row = dict(zip(COLUMNS, rows[1], strict=True))
    assert {k: row[k] for k in (
        "PAPDISVersion", "PensionProviderId", "EmployerId", "PayPeriodStartDate",
        "PayPeriodEndDate", "PayrollPeriodFrequency", "EmployeeId", "Surname", "BirthDate",
        "EmploymentStartDate", "AssessmentCode", "EventCode", "EventDate", "StatutoryLetterCode",
        "PensionableEarningsAmount", "EmployerContributionsAmount",
        "EmployeeContributionsAmount")} == {
        "PAPDISVersion": "1.1", "PensionProviderId": "SCH-1", "EmployerId": "EMP-9",
        "PayPeriodStartDate": "2025-04-01", "PayPeriodEndDate": "2025-04-30",
        "PayrollPeriodFrequency": "M1", "EmployeeId": worker.employee_number,
        "Surname": worker.legal_last_name, "BirthDate": "1990-01-01",
        "EmploymentStartDate": "2024-01-08", "AssessmentCode": "1", "EventCode": "1",
        "EventDate": "2025-04-01", "StatutoryLetterCode": "L1",
        "PensionableEarningsAmount": "1480.00", "EmployerContributionsAmount": "44.40",
        "EmployeeContributionsAmount": "74.00"}


def _left(scheme, left_on, category="eligible"):
    return Membership.objects.create(scheme=scheme, employee=EmployeeFactory(
        date_of_birth=date(1990, 1, 1)), status="opted_out", category=category,
        enrolled_on=date(2024, 1, 1), opted_out_on=left_on)


def test_reenrolment_at_three_years(scheme, payroll_admin):
    back = _left(scheme, date(2025, 1, 1))
    recent = _left(scheme, date(2026, 2, 1))  # within 12 months of the date: left out
    _left(scheme, date(2024, 2, 1), category="non_eligible")  # not eligible: not re-enrolled
    with pytest.raises(ValidationError, match="between 2026-03-01 and 2026-09-01"):
        reenrol(scheme=scheme, on=date(2026, 10, 1), acting_user=payroll_admin)
    done = reenrol(scheme=scheme, on=date(2026, 6, 1), acting_user=payroll_admin)
    assert (done.assessed, done.reenrolled, done.active_members) == (3, 1, 1)
    back.refresh_from_db()
    recent.refresh_from_db()
    assert (back.status, back.enrolled_on, back.reenrolled_on) == (
        "enrolled", date(2026, 6, 1), date(2026, 6, 1))
    assert recent.status == "opted_out"
    assert Letter.objects.get(membership=back).kind == "reenrolment"
    assert EmployeePayItem.objects.filter(employee=back.employee).count() == 2
    # the same date again: nothing more
    assert reenrol(scheme=scheme, on=date(2026, 6, 1), acting_user=payroll_admin) == done
    assert Reenrolment.objects.count() == 1 and Letter.objects.count() == 1


def test_only_hr_admin_and_payroll_admin_manage_schemes(scheme, client):
    staff = UserFactory(roles=[Role.HR_STAFF])
    login(client, staff)
    assert client.get(reverse("pensions:scheme_list")).status_code == 403
    assert client.get(reverse("pensions:scheme_detail", args=[scheme.pk])).status_code == 403
    with pytest.raises(PermissionDenied):
        reenrol(scheme=scheme, on=date(2026, 6, 1), acting_user=staff)
    admin = UserFactory(roles=[Role.HR_ADMIN])
    login(client, admin)
    assert client.get(reverse("pensions:scheme_detail", args=[scheme.pk])).status_code == 200


def test_scheme_below_the_statutory_minimum_is_a_form_error(uk_schedule, payroll_admin, client):
    login(client, payroll_admin)
    response = client.post(reverse("pensions:scheme_list"), {
        "name": "Cheap", "provider_name": "P", "scheme_reference": "S", "employer_reference": "E",
        "relief": "net_pay", "basis": "qualifying", "employee_percent": "5",
        "employer_percent": "2", "postponement_days": "0", "duties_start_date": "2025-04-01"})
    assert response.status_code == 400
    assert b"at least 3" in response.content


def test_employee_opts_out_in_the_portal_and_not_for_someone_else(scheme, worker, client,
                                                                 payroll_admin):
    user = UserFactory(roles=[])
    worker.user = user
    worker.save()
    from django.utils import timezone

    today = timezone.localdate()
    mine = Membership.objects.create(scheme=scheme, employee=worker, status="enrolled",
                                     category="eligible", enrolled_on=today,
                                     letter_sent_on=today, opt_out_deadline=today)
    other = Membership.objects.create(
        scheme=scheme, employee=EmployeeFactory(), status="enrolled", category="eligible",
        enrolled_on=today, letter_sent_on=today, opt_out_deadline=today)
    client.force_login(user)
    page = client.get(reverse("pensions:my_pension"))
    assert page.status_code == 200 and b"Opt out" in page.content
    assert client.post(reverse("pensions:my_opt_out", args=[other.pk])).status_code == 404
    with pytest.raises(PermissionDenied):
        opt_out(membership=other, notice_date=today, acting_user=user)
    client.post(reverse("pensions:my_opt_out", args=[mine.pk]))
    mine.refresh_from_db()
    other.refresh_from_db()
    assert (mine.status, other.status) == ("opted_out", "enrolled")


def test_relief_at_source_scheme_deducts_80_percent_and_refunds_untaxed(uk_schedule,
                                                                        payroll_admin):
    """RAS: 5% of QE 1,480.00 = 74.00 gross, the worker pays 80% = 59.20 from net pay (the
    scheme claims 14.80 from HMRC); the opt-out refund is neither taxable nor NI-able."""
    from payroll.engine.gross_to_net import _component_amount
    from payroll.engine.types import PayItem
    from payroll.services.calculation import engine_component
    from pensions.models import PensionScheme
    from pensions.services.schemes import scheme_save

    scheme = scheme_save(scheme=PensionScheme(
        name="RAS scheme", provider_name="P", scheme_reference="R", employer_reference="E",
        relief="ras", duties_start_date=date(2025, 4, 1)), acting_user=payroll_admin,
        schedules=[uk_schedule])
    ee = scheme.employee_component
    assert (ee.kind, ee.relief_at_source, ee.reduces_income_tax_wages) == (
        "post_tax_deduction", True, False)
    amount, _trace = _component_amount(PayItem(engine_component(ee)),
                                       {"qualifying": D("1480.00")})
    assert amount == D("59.20")
    refund = scheme.refund_component
    assert (refund.kind, refund.income_taxable, refund.social_taxable) == (
        "reimbursement", False, False)


def _scheme_page_queries(client, scheme, n) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(n):
        Membership.objects.create(scheme=scheme, employee=EmployeeFactory(), status="enrolled",
                                  category="eligible", enrolled_on=date(2025, 4, 1))
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("pensions:scheme_detail", args=[scheme.pk])).status_code == 200
    return len(ctx.captured_queries)


def test_scheme_page_queries_do_not_grow_with_members(scheme, payroll_admin, client):
    login(client, payroll_admin)
    _scheme_page_queries(client, scheme, 0)  # the first request of a session does more
    few = _scheme_page_queries(client, scheme, 3)
    many = _scheme_page_queries(client, scheme, 12)
    assert many == few


def test_off_cycle_runs_are_not_assessed(scheme, worker, payroll_admin):
    from payroll.models import PayRun
    from payroll.services.runs import run_create
    from pensions.services.assessment import assess_run

    run = run_create(schedule=scheme.schedules.get(), period=scheme.schedules.get().periods.get(
        number=1), acting_user=payroll_admin, kind=PayRun.Kind.OFF_CYCLE, employees=[worker])
    PayRun.objects.filter(pk=run.pk).update(status=PayRun.Status.CALCULATED)
    run.refresh_from_db()
    assert assess_run(run) == {}
    assert not Membership.objects.exists()
