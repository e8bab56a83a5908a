"""A finalised run's delivery page costs the same queries at 200 and 2,000 payslips and reads
only those paid outside the file; the streamed register equals the in-memory one, chunk by
chunk."""

import csv
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from payroll.models import PaymentMethod, Payslip
from payroll.outputs import register
from payroll.services.outputs import register_rows, slip_summaries, slip_summaries_chunked
from tests.factories.payroll_review import bulk_employees, run_with_payslips, slip_lines
from tests.payroll_runs.helpers import login

pytestmark = pytest.mark.django_db


def _finalised(schedule, number: int, n: int, prefix: str):
    people = bulk_employees(n, prefix=prefix)
    run = run_with_payslips(schedule, number, {
        person: slip_lines(earning=f"{2000 + i}.00", paye="200.00", ni="80.00", ni_er="95.00",
                           loan="12.00" if i % 3 else "0")
        for i, person in enumerate(people)})
    # As finalising records it: everyone by bank transfer but every 100th, paid by cheque.
    Payslip.objects.filter(run=run).update(payment_method=PaymentMethod.BANK)
    for payslip in Payslip.objects.filter(run=run).order_by("pk")[::100]:
        Payslip.objects.filter(pk=payslip.pk).update(
            payment_method=PaymentMethod.OUTSIDE,
            issued_details={"paid_outside_reason": "Paid by cheque"})
    return run


def _queries(client, url: str) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


def test_delivery_page_does_not_grow_with_the_run(client, uk_schedule, payroll_admin):
    login(client, payroll_admin)
    small = _finalised(uk_schedule, 1, 200, "S")
    client.get(reverse("payroll:run_delivery", args=[small.pk]))  # warms per-session caches
    small_queries, small_page = _queries(client, reverse("payroll:run_delivery", args=[small.pk]))
    large = _finalised(uk_schedule, 2, 2000, "L")
    large_queries, large_page = _queries(client, reverse("payroll:run_delivery", args=[large.pk]))
    assert large_queries == small_queries
    assert len(small_page.context["paid_outside"]["rows"]) == 2
    assert len(large_page.context["paid_outside"]["rows"]) == 20
    # the count and total come from SQL (window aggregates over the rows shown): they equal
    # the full list the CSV is made from
    from payroll.services.outputs import paid_outside_file

    everyone = paid_outside_file(large)
    summary = large_page.context["paid_outside"]
    assert (summary["count"], summary["more"]) == (len(everyone), 0)
    assert summary["total"] == sum(r.amount for r in everyone)
    assert summary["rows"] == everyone
    # and the PDF counts of a run whose PDFs are all ready: every payslip, none open
    Payslip.objects.filter(run=large).update(pdf_status=Payslip.PdfStatus.READY)
    _, page = _queries(client, reverse("payroll:run_delivery", args=[large.pk]))
    assert page.context["progress"]["counts"] == {
        "pending": 0, "rendering": 0, "ready": 2000, "failed": 0, "purged": 0}


def test_streamed_register_equals_the_in_memory_table(uk_schedule):
    run = _finalised(uk_schedule, 1, 25, "R")
    expected = register.table(slip_summaries(run))
    # chunks of 7 payslips: three full chunks and a short one
    streamed = list(register.stream(register.line_columns(list(slip_summaries_chunked(
        run, chunk=7))), slip_summaries_chunked(run, chunk=7)))
    assert streamed == expected
    assert list(register_rows(run)) == expected
    assert expected[-1][0] == "Total" and expected[-1][1] == "25 employees"


def test_streamed_register_csv_totals(uk_schedule, client, payroll_admin):
    login(client, payroll_admin)
    run = _finalised(uk_schedule, 1, 30, "C")
    response = client.get(reverse("payroll:run_register", args=[run.pk, "csv"]))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    net = rows[0].index("Net pay")
    assert Decimal(rows[-1][net]) == sum(p.net for p in run.payslips.all())
    assert len(rows) == 32


def test_register_columns_take_the_first_description_in_payslip_order(uk_schedule):
    # given a code printed with two descriptions (arrears lines name their period)
    from payroll.models import PayslipLine
    from payroll.services.outputs import register_columns

    run = _finalised(uk_schedule, 1, 3, "A")
    lines = PayslipLine.objects.filter(payslip__run=run, code="SALARY").order_by(
        "payslip__employee__employee_number")
    PayslipLine.objects.filter(pk=lines[0].pk).update(description="Salary May")
    PayslipLine.objects.filter(pk=lines[2].pk).update(description="Salary June")
    # then the columns agree with the in-memory register's
    assert register_columns(run) == register.line_columns(slip_summaries(run))
    assert ("earning", "SALARY", "Salary May") in register_columns(run)
