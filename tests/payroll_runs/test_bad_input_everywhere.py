"""Bad input on every form of a pay run, as a checker would type it: each answer is a page or a
redirect with a message (never a 500) and nothing is written, not even part of a batch."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AuditEvent
from payroll.models import PayComponent, PayRun, Payslip, RunInput
from payroll.services.inputs import run_input_set
from payroll.services.runs import run_calculate, run_create
from tests.factories.payroll_runs import paid_employee
from tests.payroll_runs.helpers import login

pytestmark = pytest.mark.django_db

BAD_NUMBERS = ["abc", "1e400", "NaN", "Infinity", "-Infinity", "99999999999999", "1,000.00",
               "0x10", "1.234567", " ", "--1"]


@pytest.fixture
def world(uk_schedule, payroll_admin, django_capture_on_commit_callbacks):
    """A calculated run: one person with a bonus input, one without a bank account (a blocking
    flag)."""
    bonus = PayComponent.objects.create(code="BONUS", name="Bonus", kind="earning")
    banked = paid_employee(uk_schedule)
    unbanked = paid_employee(uk_schedule, bank=False)
    run = run_create(schedule=uk_schedule, period=uk_schedule.periods.get(number=1),
                     acting_user=payroll_admin)
    existing = run_input_set(run=run, employee=banked, component=bonus, amount=Decimal("100"),
                             acting_user=payroll_admin)
    with django_capture_on_commit_callbacks(execute=True):
        run_calculate(run=run, acting_user=payroll_admin)
    run.refresh_from_db()
    assert run.status == PayRun.Status.CALCULATED
    return {"run": run, "bonus": bonus, "banked": banked, "unbanked": unbanked,
            "input": existing}


def _state(run):
    """Everything a bad request could have written."""
    return (
        list(RunInput.objects.filter(run=run).order_by("pk").values_list(
            "pk", "employee_id", "component_id", "quantity", "rate", "amount", "note")),
        list(Payslip.objects.filter(run=run).order_by("pk").values_list("pk", "overrides")),
        list(PayRun.objects.order_by("pk").values_list("pk", "status", "kind")),
        AuditEvent.objects.count(),
    )


def _posts(world):
    run, bonus = world["run"], world["bonus"]
    number = world["banked"].employee_number
    url = {name: reverse(f"payroll:{name}", args=[run.pk]) for name in (
        "run_input_save", "run_inputs_paste", "run_inputs_import", "run_bulk_override",
        "run_correct")}
    yield url["run_input_save"], {}
    for value in BAD_NUMBERS:
        for field in ("amount", "quantity", "rate"):
            yield url["run_input_save"], {"employee_number": number, "component": bonus.pk,
                                          field: value}
            yield url["run_input_save"], {"input": world["input"].pk, field: value}
    for data in ({"employee_number": "x" * 500, "component": bonus.pk, "amount": "1"},
                 {"employee_number": "NOPE", "component": bonus.pk, "amount": "1"},
                 {"employee_number": number, "component": "999999", "amount": "1"},
                 {"employee_number": number, "component": "abc", "amount": "1"},
                 {"employee_number": number, "component": bonus.pk, "amount": "1",
                  "note": "x" * 5000},
                 {"employee_number": number, "component": bonus.pk, "amount": "1",
                  "note": "bad\x00note"},
                 {"employee_number": "E\x00", "component": bonus.pk, "amount": "1"},
                 {"input": "999999", "amount": "1"}, {"input": "abc", "amount": "1"},
                 {"employee_number": number, "component": bonus.pk, "amount": "-50"}):
        yield url["run_input_save"], data
    for rows in ("", " \n \n", f"{number},BONUS,abc", f"{number},BONUS,,,1e400",
                 f"{number},BONUS,,,100\nNOPE,BONUS,,,100",  # one good row, one bad: nothing
                 f"{number},BONUS,,,100\n{number},NOPE,,,1", f"{number}\tBONUS\t\t\t-5",
                 ",".join(["x"] * 40), f"{number},BONUS,,,100,{'n' * 5000}",
                 f"{number},BONUS,,,100,bad\x00note", "\ufeff" + f"{number},BONUS,,,NaN"):
        yield url["run_inputs_paste"], {"rows": rows}
    for content in (b"", b"\xff\xfe\x00\x00garbage", b"employee_number,component,amount\n"
                    + number.encode() + b",BONUS,100\nNOPE,BONUS,1\n",
                    b"employee_number,component,amount,note\n" + number.encode()
                    + b",BONUS,100,bad\x00note\n",
                    b"%PDF-1.4 binary \x00\x01\x02", "employee_number;component;amount\n"
                    .encode("utf-16")):
        yield url["run_inputs_import"], {"file": SimpleUploadedFile("inputs.csv", content)}
    yield url["run_inputs_import"], {}
    for data in ({}, {"code": "nope", "comment": "ok"},
                 {"code": "missing_bank_details", "comment": "   "},
                 {"code": "missing_bank_details", "comment": "x" * 600},
                 {"code": "missing_bank_details", "comment": "ok",
                  "employee_numbers": "NOPE1 NOPE2"},
                 {"code": "missing_bank_details", "comment": "ok",
                  "employee_numbers": "A " * 15000},
                 {"code": "missing_bank_details", "comment": "bad\x00comment"}):
        yield url["run_bulk_override"], data
    payslip = Payslip.objects.get(run=run, employee=world["unbanked"])
    override = reverse("payroll:payslip_override", args=[run.pk, payslip.pk])
    for data in ({}, {"code": "nope", "comment": "ok"},
                 {"code": "missing_bank_details", "comment": ""},
                 {"code": "missing_bank_details", "comment": "bad\x00comment"}):
        yield override, data
    # a correction of a run that is not finalised, and bad dates
    for data in ({}, {"employee_numbers": number, "pay_date": "2025-13-45"},
                 {"employee_numbers": number, "pay_date": "0001-01-01"},
                 {"employee_numbers": number, "pay_date": "9999-12-31"},
                 {"employee_numbers": number, "pay_date": "2025-05-15"}):
        yield url["run_correct"], data
    yield reverse("payroll:run_action", args=[run.pk, "explode"]), {}
    yield reverse("payroll:run_action", args=[run.pk, "approve"]), {}  # the calculator
    yield reverse("payroll:run_action", args=[run.pk, "finalise"]), {}  # not approved
    create = reverse("payroll:run_create")
    for data in ({}, {"schedule": "abc"}, {"schedule": "999999"},
                 {"schedule": run.schedule_id, "period": "999999"},
                 {"schedule": run.schedule_id, "period": run.period_id, "kind": "bogus"},
                 {"schedule": run.schedule_id, "period": run.period_id, "kind": "off_cycle",
                  "pay_date": "2025-02-30"}):
        yield create, data


def test_bad_input_on_every_run_form_is_a_message_and_writes_nothing(client, world,
                                                                    payroll_admin):
    # given the calculator of a calculated run on the run's pages
    login(client, payroll_admin)
    client.raise_request_exception = False  # a 500 is recorded below, not raised
    before = _state(world["run"])
    # when every kind of bad input is posted to every form of the run
    failures = []
    for url, data in _posts(world):
        response = client.post(url, data)
        if response.status_code >= 500:
            failures.append((url, data, response.status_code))
        # then nothing at all was written, not even the good rows of a batch
        if _state(world["run"]) != before:
            failures.append((url, data, "wrote something"))
            before = _state(world["run"])
    assert failures == [], "\n".join(repr(f)[:300] for f in failures)


def test_a_good_row_after_all_that_still_saves(client, world, payroll_admin):
    # the forms above are not simply refusing everything: the same grid saves a good input
    login(client, payroll_admin)
    url = reverse("payroll:run_input_save", args=[world["run"].pk])
    response = client.post(url, {"employee_number": world["unbanked"].employee_number,
                                 "component": world["bonus"].pk, "amount": "250.00"})
    assert response.status_code in (200, 302)
    assert RunInput.objects.filter(run=world["run"], employee=world["unbanked"],
                                   amount=Decimal("250.00")).exists()
    assert world["run"].pay_date >= date(2025, 4, 1)
