"""Run pages: permission matrix, the main flow through the browser-facing views, query counts."""

import pytest
from django.urls import reverse

from payroll.models import PayComponent, PayRun, RunInput
from payroll.services.runs import run_create
from tests.payroll_runs.helpers import calculated_run, finalised_run, login

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(uk_schedule, uk_staff, payroll_admin):
    return run_create(schedule=uk_schedule, period=uk_schedule.periods.get(number=1),
                      acting_user=payroll_admin)


def _pages(run, payslip=None):
    pages = [reverse("payroll:run_list"), reverse("payroll:run_detail", args=[run.pk]),
             reverse("payroll:run_inputs", args=[run.pk]),
             reverse("payroll:schedule_detail", args=[run.schedule_id])]
    if payslip is not None:
        pages.append(reverse("payroll:payslip_detail", args=[run.pk, payslip.pk]))
    return pages


def test_permission_matrix_for_run_pages(client, uk_schedule, uk_staff, payroll_admin, hr_admin,
                                         org, django_capture_on_commit_callbacks):
    run = calculated_run(uk_schedule, 1, payroll_admin, django_capture_on_commit_callbacks)
    payslip = run.payslips.first()
    # payroll admin and HR see every page
    for user in (payroll_admin, hr_admin):
        login(client, user)
        for url in _pages(run, payslip):
            assert client.get(url).status_code == 200, (user, url)
    # HR may look but not act
    login(client, hr_admin)
    assert client.post(reverse("payroll:run_action", args=[run.pk, "approve"])).status_code == 403
    # managers and employees: the pages do not exist for them
    for who in ("manager", "employee", "other"):
        login(client, org.users[who])
        for url in _pages(run, payslip):
            assert client.get(url).status_code == 404, (who, url)
        assert client.post(reverse("payroll:run_action", args=[run.pk, "calculate"])
                           ).status_code == 404


def test_calculate_approve_finalise_through_views(client, draft, payroll_admin,
                                                  second_payroll_admin,
                                                  django_capture_on_commit_callbacks):
    login(client, payroll_admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("payroll:run_action", args=[draft.pk, "calculate"]))
    draft.refresh_from_db()
    assert draft.status == PayRun.Status.CALCULATED
    # the calculator cannot approve: the page says why
    response = client.post(reverse("payroll:run_action", args=[draft.pk, "approve"]),
                           follow=True)
    assert "Four-eyes" in response.content.decode()
    login(client, second_payroll_admin)
    client.post(reverse("payroll:run_action", args=[draft.pk, "approve"]))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("payroll:run_action", args=[draft.pk, "finalise"]))
    draft.refresh_from_db()
    assert draft.status == PayRun.Status.FINALISED


def test_progress_partial_while_calculating(client, draft, payroll_admin):
    PayRun.objects.filter(pk=draft.pk).update(status="calculating", progress_total=10,
                                              progress_done=4)
    login(client, payroll_admin)
    response = client.get(reverse("payroll:run_detail", args=[draft.pk]) + "?part=progress",
                          HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert 'value="4"' in response.content.decode()


def test_run_detail_query_count(client, uk_schedule, uk_staff, payroll_admin,
                                django_assert_max_num_queries,
                                django_capture_on_commit_callbacks):
    run = calculated_run(uk_schedule, 1, payroll_admin, django_capture_on_commit_callbacks)
    login(client, payroll_admin)
    # session, user, groups, run, blocking flags, payslips+employees, nav/context extras
    # (+1 since the compliance menu asks whether the viewer manages anyone: their own record;
    # +1 for the run's totals, +1 for the counts by flag, +1 as a page is picked by ids first:
    # tests/payroll_review has the rest)
    with django_assert_max_num_queries(15):
        assert client.get(reverse("payroll:run_detail", args=[run.pk])).status_code == 200


def test_line_trace_partial(client, uk_schedule, uk_staff, payroll_admin,
                            django_capture_on_commit_callbacks):
    run = calculated_run(uk_schedule, 1, payroll_admin, django_capture_on_commit_callbacks)
    line = run.payslips.first().lines.get(code="PAYE")
    login(client, payroll_admin)
    response = client.get(reverse("payroll:line_trace", args=[line.pk]), HTTP_HX_REQUEST="true")
    assert "Formula" in response.content.decode()


def test_grid_edit_and_csv_import_views(client, draft, uk_staff, payroll_admin):
    bonus = PayComponent.objects.create(code="BONUS", name="Bonus", kind="earning")
    login(client, payroll_admin)
    response = client.post(reverse("payroll:run_input_save", args=[draft.pk]), {
        "employee_number": uk_staff[0].employee_number, "component": bonus.pk, "amount": "250"})
    assert response.status_code == 302
    ri = RunInput.objects.get(run=draft)
    # htmx inline edit returns the row
    response = client.post(reverse("payroll:run_input_save", args=[draft.pk]), {
        "input": ri.pk, "amount": "300"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and f"input-{ri.pk}" in response.content.decode()
    # bad CSV: a row-level report, nothing written
    from django.core.files.uploadedfile import SimpleUploadedFile

    csv = (f"employee_number,component,amount\n{uk_staff[1].employee_number},BONUS,abc\n"
           "NOPE,BONUS,1\n").encode()
    response = client.post(reverse("payroll:run_inputs_import", args=[draft.pk]),
                           {"file": SimpleUploadedFile("in.csv", csv)})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Line 2" in body and "Line 3" in body
    assert RunInput.objects.filter(run=draft).count() == 1


def test_finalised_run_admin_is_read_only(client, admin_user, uk_schedule, uk_staff, payroll_admin,
                                          second_payroll_admin,
                                          django_capture_on_commit_callbacks):
    run = finalised_run(uk_schedule, 1, payroll_admin, second_payroll_admin,
                        django_capture_on_commit_callbacks)
    payslip = run.payslips.first()
    login(client, admin_user)
    admin_client = client
    url = reverse("admin:payroll_payslip_change", args=[payslip.pk])
    response = admin_client.post(url, {"net": "1.00"})
    assert response.status_code in (302, 403) or "readonly" in response.content.decode()
    payslip.refresh_from_db()
    assert payslip.net != 1
    response = admin_client.post(reverse("admin:payroll_payrun_delete", args=[run.pk]),
                                 {"post": "yes"})
    assert response.status_code == 403
    assert PayRun.objects.filter(pk=run.pk).exists()


def test_progress_poll_reloads_when_done(client, draft, payroll_admin):
    login(client, payroll_admin)
    response = client.get(reverse("payroll:run_detail", args=[draft.pk]) + "?part=progress",
                          HTTP_HX_REQUEST="true")
    assert response["HX-Refresh"] == "true"


def test_home_card_counts_open_runs(client, draft, payroll_admin):
    login(client, payroll_admin)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "Pay runs" in response.content.decode()


def test_create_runs_from_the_page_with_bad_input(client, uk_schedule, uk_staff, payroll_admin):
    login(client, payroll_admin)
    period = uk_schedule.periods.get(number=2)
    url = reverse("payroll:run_create")
    # an off-cycle run naming someone unknown: an error, no run
    response = client.post(url, {"schedule": uk_schedule.pk, "period": period.pk,
                                 "kind": "off_cycle", "employee_numbers": "NOPE"}, follow=True)
    assert "Unknown: NOPE" in response.content.decode()
    assert not PayRun.objects.exists()
    # final pay for one leaver works; a second regular run for a period is refused clearly
    response = client.post(url, {"schedule": uk_schedule.pk, "period": period.pk,
                                 "kind": "final_pay",
                                 "employee_numbers": uk_staff[0].employee_number})
    assert PayRun.objects.get().kind == "final_pay"
    for _ in range(2):
        response = client.post(url, {"schedule": uk_schedule.pk, "period": period.pk,
                                     "kind": "regular"}, follow=True)
    assert "already exists" in response.content.decode()
    assert PayRun.objects.filter(kind="regular").count() == 1


def test_correction_from_the_page(client, uk_schedule, uk_staff, payroll_admin,
                                  second_payroll_admin, django_capture_on_commit_callbacks):
    run = finalised_run(uk_schedule, 1, payroll_admin, second_payroll_admin,
                        django_capture_on_commit_callbacks)
    login(client, payroll_admin)
    response = client.post(reverse("payroll:run_correct", args=[run.pk]),
                           {"employee_numbers": uk_staff[1].employee_number,
                            "pay_date": "2025-05-15"})
    correction = PayRun.objects.get(kind="correction")
    assert response.url == reverse("payroll:run_detail", args=[correction.pk])
    assert correction.corrects == run
    assert list(correction.employees.all()) == [uk_staff[1]]


def test_correction_after_the_tax_year_is_refused_on_the_page_with_what_to_do(
        client, uk_schedule, uk_staff, payroll_admin, second_payroll_admin,
        django_capture_on_commit_callbacks):
    # given a finalised 2025-26 month-1 run
    run = finalised_run(uk_schedule, 1, payroll_admin, second_payroll_admin,
                        django_capture_on_commit_callbacks)
    login(client, payroll_admin)
    # when a correction is asked for with a pay date in 2026-27
    response = client.post(reverse("payroll:run_correct", args=[run.pk]),
                           {"employee_numbers": uk_staff[1].employee_number,
                            "pay_date": "2026-04-06"}, follow=True)
    # then nothing is created and the message says why and what to do instead
    assert not PayRun.objects.filter(kind="correction").exists()
    html = response.content.decode()
    assert "after the last pay day of tax year 2025-26 (2026-04-05)" in html
    assert "Earlier Year Update" in html


def test_reasons_for_change_are_shown_in_words(client, uk_schedule, uk_staff, payroll_admin,
                                               django_capture_on_commit_callbacks):
    # given a first run: everyone is new against no previous finalised payslip
    run = calculated_run(uk_schedule, 1, payroll_admin, django_capture_on_commit_callbacks)
    payslip = run.payslips.first()
    assert "new_hire" in payslip.reasons
    login(client, payroll_admin)
    # when
    pages = [reverse("payroll:run_detail", args=[run.pk]),
             reverse("payroll:payslip_detail", args=[run.pk, payslip.pk])]
    # then the reason reads as words, not as the stored code
    for page in pages:
        html = client.get(page).content.decode()
        assert ">New hire</span>" in html and ">new_hire</span>" not in html


def test_unknown_reason_and_flag_codes_are_still_readable():
    from payroll.reasons import flag_label, reason_label

    assert reason_label("unpaid_leave") == "Unpaid leave"
    assert reason_label("some_future_reason") == "Some future reason"
    assert flag_label("missing_bank_details") == "No bank account"
    assert flag_label("some_future_flag") == "Some future flag"
