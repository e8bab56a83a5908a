"""Managers propose job and pay changes that HR approves or declines; optionally, pay changes above
the company's thresholds need a second HR Admin or Payroll Admin (issue 12 item 2)."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from employees.models import ChangeProposal, CompensationRecord, JobRecord
from employees.services.access_policy import access_policy_update
from tests.factories.employees import CompensationRecordFactory, JobTitleFactory

pytestmark = pytest.mark.django_db

P = ChangeProposal
TODAY = date.today().isoformat()


def _pay_post(amount: str, **extra) -> dict:
    return {"pay-effective_date": TODAY, "pay-basis": "salary", "pay-amount": amount,
            "pay-currency": "GBP", "pay-reason": "merit_increase", "pay-note": "", **extra}


def _job_post(employee, title) -> dict:
    return {"job-effective_date": TODAY, "job-job_title": title.pk,
            "job-department": employee.department_id, "job-location": employee.location_id,
            "job-manager": employee.manager.employee_number,
            "job-employment_type": employee.employment_type, "job-fte": "1.000",
            "job-reason": "promotion", "job-note": "well earned"}


def _salaries(employee) -> list[Decimal]:
    return sorted(CompensationRecord.objects.filter(employee=employee)
                  .values_list("annual_salary", flat=True))


@pytest.fixture
def report_on_40k(org):
    CompensationRecordFactory(employee=org.report, annual_salary=Decimal("40000.00"),
                              effective_date=date(2024, 1, 1))
    return org.report


def test_manager_proposes_a_pay_rise_and_nothing_changes_until_hr_approves(
        client_for, org, report_on_40k, hr_admin):
    manager = client_for(org.users["manager"])

    # when: the manager proposes 44,000 for their report
    response = manager.post(reverse("employees:propose", args=[org.report.pk, "pay"]),
                            _pay_post("44000"))

    # then: a pending proposal, pay unchanged
    assert response.status_code == 302
    proposal = P.objects.get()
    assert (proposal.kind, proposal.origin, proposal.status) == (
        P.Kind.PAY, P.Origin.MANAGER, P.Status.PENDING)
    assert _salaries(org.report) == [Decimal("40000.00")]

    # when: HR approves
    hr = client_for(hr_admin)
    assert f"proposal-{proposal.pk}" in hr.get(reverse("employees:proposals")).text
    hr.post(reverse("employees:proposal_decide", args=[proposal.pk, "approve"]))

    # then: recorded by HR, with the proposer named, audited
    assert _salaries(org.report) == [Decimal("40000.00"), Decimal("44000.00")]
    proposal.refresh_from_db()
    assert (proposal.status, proposal.decided_by) == (P.Status.APPROVED, hr_admin)
    record = CompensationRecord.objects.get(employee=org.report, annual_salary=44000)
    assert "proposed by manager@example.test" in record.note
    assert AuditEvent.objects.filter(object_type="employees.changeproposal",
                                     object_id=str(proposal.pk)).count() == 2


def test_manager_pay_form_does_not_show_current_pay(client_for, org, report_on_40k):
    page = client_for(org.users["manager"]).get(
        reverse("employees:propose", args=[org.report.pk, "pay"])).text
    assert "40000" not in page


def test_hr_declines_a_job_proposal_with_a_reason(client_for, org, hr_staff):
    title = JobTitleFactory()
    client_for(org.users["manager"]).post(
        reverse("employees:propose", args=[org.report.pk, "job"]), _job_post(org.report, title))
    proposal = P.objects.get(kind=P.Kind.JOB)
    hr = client_for(hr_staff)

    no_reason = hr.post(reverse("employees:proposal_decide", args=[proposal.pk, "decline"]),
                        {"reason": ""}, follow=True)
    assert "Say why" in no_reason.text
    hr.post(reverse("employees:proposal_decide", args=[proposal.pk, "decline"]),
            {"reason": "Budget frozen"})

    proposal.refresh_from_db()
    assert (proposal.status, proposal.decline_reason) == (P.Status.DECLINED, "Budget frozen")
    assert not JobRecord.objects.filter(employee=org.report, job_title=title).exists()
    # the manager sees the answer
    mine = client_for(org.users["manager"]).get(reverse("employees:proposals")).text
    assert "Budget frozen" in mine


def test_hr_approves_a_job_proposal(client_for, org, hr_staff):
    title = JobTitleFactory()
    client_for(org.users["manager"]).post(
        reverse("employees:propose", args=[org.report.pk, "job"]), _job_post(org.report, title))
    proposal = P.objects.get(kind=P.Kind.JOB)

    client_for(hr_staff).post(reverse("employees:proposal_decide", args=[proposal.pk, "approve"]))

    assert JobRecord.objects.filter(employee=org.report, job_title=title).exists()


def test_only_their_manager_proposes(client_for, org, report_on_40k):
    # the peer's manager chain does not include the report; employees and self are refused
    for who, pk in [("other", org.report.pk), ("employee", org.report.pk),
                    ("manager", org.manager.pk)]:
        response = client_for(org.users[who]).post(
            reverse("employees:propose", args=[pk, "pay"]), _pay_post("99000"))
        assert response.status_code in (403, 404), who
    assert not P.objects.exists()


def test_the_proposer_and_the_subject_never_decide(client_for, org, report_on_40k, hr_admin):
    client_for(org.users["manager"]).post(
        reverse("employees:propose", args=[org.report.pk, "pay"]), _pay_post("44000"))
    proposal = P.objects.get()
    for who in ("manager", "employee"):
        response = client_for(org.users[who]).post(
            reverse("employees:proposal_decide", args=[proposal.pk, "approve"]))
        assert response.status_code in (403, 404), who
    proposal.refresh_from_db()
    assert proposal.status == P.Status.PENDING


def test_a_decided_proposal_cannot_be_decided_again(client_for, org, report_on_40k, hr_admin,
                                                   payroll_admin):
    client_for(org.users["manager"]).post(
        reverse("employees:propose", args=[org.report.pk, "pay"]), _pay_post("44000"))
    proposal = P.objects.get()
    client_for(hr_admin).post(reverse("employees:proposal_decide", args=[proposal.pk, "approve"]))

    page = client_for(payroll_admin).post(
        reverse("employees:proposal_decide", args=[proposal.pk, "approve"]), follow=True)

    assert "already approved" in page.text
    assert _salaries(org.report) == [Decimal("40000.00"), Decimal("44000.00")]


# --- second approval of pay changes (Access levels, off by default) ---

def test_off_by_default_pay_changes_take_effect_at_once(client_for, org, report_on_40k,
                                                        payroll_admin):
    client_for(payroll_admin).post(reverse("employees:compensation", args=[org.report.pk]),
                                   _pay_post("80000", **{"pay-confirm_warnings": "on"}))
    assert Decimal("80000.00") in _salaries(org.report)
    assert not P.objects.exists()


@pytest.fixture
def second_approval(hr_admin):
    access_policy_update(acting_user=hr_admin, pay_changes_need_second_approval=True,
                         pay_change_threshold_percent=Decimal("10"),
                         pay_change_threshold_amount=Decimal("5000"))


@pytest.mark.usefixtures("second_approval")
def test_a_change_below_both_thresholds_takes_effect(client_for, org, report_on_40k,
                                                     payroll_admin):
    # 40,000 -> 43,000: 7.5% and 3,000, under 10% and 5,000
    client_for(payroll_admin).post(reverse("employees:compensation", args=[org.report.pk]),
                                   _pay_post("43000"))
    assert _salaries(org.report) == [Decimal("40000.00"), Decimal("43000.00")]


@pytest.mark.usefixtures("second_approval")
def test_a_change_at_a_threshold_waits_for_a_second_approver(client_for, org, report_on_40k,
                                                             payroll_admin,
                                                             second_payroll_admin):
    # 40,000 -> 44,000: exactly 10%
    page = client_for(payroll_admin).post(
        reverse("employees:compensation", args=[org.report.pk]), _pay_post("44000"),
        follow=True)
    assert "needs a second approver" in page.text
    assert _salaries(org.report) == [Decimal("40000.00")]
    proposal = P.objects.get()
    assert proposal.origin == P.Origin.SECOND_APPROVAL

    # the proposer cannot approve it; another Payroll Admin can
    mine = client_for(payroll_admin).post(
        reverse("employees:proposal_decide", args=[proposal.pk, "approve"]))
    assert mine.status_code == 403
    client_for(second_payroll_admin).post(
        reverse("employees:proposal_decide", args=[proposal.pk, "approve"]))
    assert _salaries(org.report) == [Decimal("40000.00"), Decimal("44000.00")]


@pytest.mark.usefixtures("second_approval")
def test_the_amount_threshold_alone_is_enough(client_for, org, payroll_admin):
    # 200,000 -> 205,000: 2.5% but 5,000
    CompensationRecordFactory(employee=org.report, annual_salary=Decimal("200000.00"),
                              effective_date=date(2024, 1, 1))
    client_for(payroll_admin).post(reverse("employees:compensation", args=[org.report.pk]),
                                   _pay_post("205000"))
    assert P.objects.filter(origin=P.Origin.SECOND_APPROVAL).count() == 1


def test_hr_staff_cannot_approve_a_second_approval(client_for, org, report_on_40k, hr_admin,
                                                   hr_staff, payroll_admin):
    access_policy_update(acting_user=hr_admin, pay_changes_need_second_approval=True)
    client_for(payroll_admin).post(reverse("employees:compensation", args=[org.report.pk]),
                                   _pay_post("41000"))
    proposal = P.objects.get()  # both thresholds blank: every change
    assert client_for(hr_staff).post(
        reverse("employees:proposal_decide", args=[proposal.pk, "approve"])).status_code == 403


def test_access_levels_page_sets_the_thresholds(client_for, hr_admin):
    client_for(hr_admin).post(reverse("employees:access_levels"), {
        "pay_changes_need_second_approval": "on", "pay_change_threshold_percent": "12.5",
        "pay_change_threshold_amount": ""})
    from employees.models import AccessPolicy

    policy = AccessPolicy.objects.get(pk=1)
    assert policy.pay_changes_need_second_approval
    assert policy.pay_change_threshold_percent == Decimal("12.50")
    assert policy.pay_change_threshold_amount is None
    assert AuditEvent.objects.filter(object_type="employees.accesspolicy").exists()
