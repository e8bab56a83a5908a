"""The run page and the review page: who sees them, where Approve lives, what they show."""

import re

import pytest
from django.urls import reverse

from payroll.models import PayRun
from tests.factories.payroll_review import flag, override, run_with_payslips, slip_lines
from tests.payroll_runs.helpers import calculated_run, finalised_run, login

pytestmark = pytest.mark.django_db


def _review_url(run) -> str:
    return reverse("payroll:run_review", args=[run.pk])


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_payroll_and_hr_admins_see_the_review_others_get_404(client, two_runs, payroll_admin,
                                                               hr_admin, org):
    # given a calculated run
    _, current = two_runs

    # then Payroll Admin and HR Admin see its review
    for user in (payroll_admin, hr_admin):
        login(client, user)
        assert client.get(_review_url(current)).status_code == 200, user
    # and for managers and employees the page does not exist (like every run page)
    for who in ("manager", "employee", "other"):
        login(client, org.users[who])
        assert client.get(_review_url(current)).status_code == 404, who


def test_hr_admin_sees_the_review_without_an_approve_button(client, two_runs, hr_admin):
    # given a calculated run and HR, who may look but not act
    _, current = two_runs
    login(client, hr_admin)

    # when HR opens the review
    body = _text(client.get(_review_url(current)))

    # then the figures are there and the Approve button is not; approving is refused anyway
    assert "Cash needed for pay day" in body
    assert "Approve</button>" not in body
    response = client.post(reverse("payroll:run_action", args=[current.pk, "approve"]))
    assert response.status_code == 403


def test_review_page_shows_the_hand_computed_figures(client, two_runs, second_payroll_admin):
    # given period 2 against period 1 (conftest.two_runs)
    _, current = two_runs
    login(client, second_payroll_admin)

    # when the approver opens the review
    body = _text(client.get(_review_url(current)))

    # then the page shows the sums and changes computed by hand in conftest
    assert re.search(r'data-figure="gross">.*?7,700\.00.*?8,300\.00.*?-600\.00.*?-7\.2%', body)
    assert re.search(r'data-figure="net">.*?6,365\.00.*?6,845\.00.*?-480\.00.*?-7\.0%', body)
    assert 'data-figure="cash_needed">8,385.00 GBP' in body
    assert 'data-figure="joiners">1<' in body and 'data-figure="leavers">1<' in body
    assert 'data-figure="pay_changed">2<' in body
    assert "Dan Danson" in body and "Carol Carolson" in body
    # Erin's -470.00 is listed before Bob's +350.00
    assert body.index("-470.00") < body.index("+350.00")


def test_a_zero_previous_figure_shows_no_percentage(client, uk_schedule, people,
                                                    second_payroll_admin):
    # given no employer tax before and 12.50 now
    run_with_payslips(uk_schedule, 1, {people["Alice"]: slip_lines(earning="1000.00")})
    current = run_with_payslips(uk_schedule, 2, {
        people["Alice"]: slip_lines(earning="1000.00", ni_er="12.50")}, status="calculated")
    login(client, second_payroll_admin)

    # when the review is shown
    body = _text(client.get(_review_url(current)))

    # then the change is shown and the percentage says it does not apply (no division by zero)
    assert re.search(r'data-figure="employer_tax">.*?12\.50.*?0\.00.*?\+12\.50.*?n/a', body)


def test_approve_button_is_on_the_review_not_the_run_page(client, uk_schedule, uk_staff,
                                                           payroll_admin, second_payroll_admin,
                                                           django_capture_on_commit_callbacks):
    # given a run calculated by one Payroll Admin
    run = calculated_run(uk_schedule, 1, payroll_admin, django_capture_on_commit_callbacks)
    login(client, second_payroll_admin)

    # when the second admin opens the run page
    page = _text(client.get(reverse("payroll:run_detail", args=[run.pk])))

    # then it leads to the review, and the Approve button is there, after the figures
    assert f'href="{_review_url(run)}">Review and approve</a>' in page
    assert "Approve</button>" not in page
    review = _text(client.get(_review_url(run)))
    assert review.index("Cash needed for pay day") < review.index("Approve</button>")
    assert "<button type=\"submit\" >Approve</button>" in review  # enabled
    # and approving from there works as before (four-eyes: the other admin)
    client.post(reverse("payroll:run_action", args=[run.pk, "approve"]))
    run.refresh_from_db()
    assert run.status == PayRun.Status.APPROVED
    assert "Approved by payroll2@example.test" in _text(client.get(_review_url(run)))


def test_the_calculator_sees_why_they_cannot_approve(client, uk_schedule, uk_staff,
                                                     payroll_admin,
                                                     django_capture_on_commit_callbacks):
    # given the admin who calculated the run
    run = calculated_run(uk_schedule, 1, payroll_admin, django_capture_on_commit_callbacks)
    login(client, payroll_admin)

    # when they open the review
    body = _text(client.get(_review_url(run)))

    # then the button is disabled with the four-eyes reason
    assert "another Payroll Admin must approve it" in body
    assert "disabled>Approve</button>" in body


def test_blocking_flags_disable_approve_and_link_to_them(client, uk_schedule, people,
                                                         second_payroll_admin):
    # given a calculated run with one unresolved blocking flag
    run = run_with_payslips(uk_schedule, 1, {
        people["Alice"]: (slip_lines(earning="1000.00"), [flag("missing_bank_details")], []),
        people["Bob"]: (slip_lines(earning="1000.00"), [flag("variance")],
                        [override("variance")]),
    }, status="calculated")
    login(client, second_payroll_admin)

    # when the review is opened
    body = _text(client.get(_review_url(run)))

    # then Approve is disabled and the blocked payslip is one click away
    assert "1 payslip has blocking flags" in body
    assert "disabled>Approve</button>" in body
    assert f'{reverse("payroll:run_detail", args=[run.pk])}?blocked=1' in body


def test_finalised_run_review_is_read_only(client, uk_schedule, uk_staff, payroll_admin,
                                           second_payroll_admin,
                                           django_capture_on_commit_callbacks):
    # given a finalised run
    run = finalised_run(uk_schedule, 1, payroll_admin, second_payroll_admin,
                        django_capture_on_commit_callbacks)
    login(client, payroll_admin)

    # when its review is opened: figures, who approved, and no button
    body = _text(client.get(_review_url(run)))
    assert "Approved by payroll2@example.test" in body
    assert "Approve</button>" not in body


def test_run_page_shows_totals_from_aggregates(client, two_runs, payroll_admin):
    # given period 2 (conftest.two_runs)
    _, current = two_runs
    login(client, payroll_admin)

    # when the run page is opened
    body = _text(client.get(reverse("payroll:run_detail", args=[current.pk])))

    # then its totals are the hand sums: 4 payslips, gross 7,700.00, net 6,365.00
    assert re.search(r"Payslips</dt><dd>4</dd>", body)
    assert "7,700.00 GBP" in body and "<dd>6,365.00</dd>" in body
