"""Year-end documents and the close, through the real pay runs: figures equal the finalised
payslips' YTD, the P45 comes with the leaver's final pay, the close locks the year, rolls tax
codes forward (audited per profile) and is idempotent."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AuditEvent
from delivery.models import DeliveryItem
from payroll.models import TaxProfile
from payroll.selectors import ytd_for
from payroll.services.runs import run_correction_create, run_create
from yearend.models import DocumentKind, YearEndClose, YearEndDocument
from yearend.pdf import document_html
from yearend.services.close import year_close
from yearend.services.documents import year_documents_produce

pytestmark = pytest.mark.django_db
AFTER = date(2026, 5, 1)


def test_final_pay_gives_the_leaver_a_p45_with_the_figures_to_date(uk_year):
    # given: the leaver's last pay was month 2 (they left on 20 May 2025)
    leaver = uk_year["leaver"]
    # then
    p45 = YearEndDocument.objects.get(kind=DocumentKind.P45, employee=leaver)
    ytd = ytd_for(leaver, "2025-26")
    assert Decimal(p45.figures["total_pay_to_date"]) == ytd["uk_taxable_pay"]
    assert Decimal(p45.figures["total_tax_to_date"]) == ytd["uk_tax_paid"]
    assert p45.figures["leaving_date"] == "2025-05-20"
    assert p45.figures["tax_code"] == "1257L" and p45.figures["last_period"] == "Month 2"
    assert p45.figures["student_loan_continue"] is True
    assert p45.payslip_ids == list(leaver.payslips.order_by("run__pay_date").values_list(
        "pk", flat=True))
    assert not YearEndDocument.objects.filter(employee=uk_year["stayer"]).exists()


def test_p60s_wait_for_the_end_of_the_tax_year(uk_year, payroll_admin):
    with pytest.raises(ValidationError, match="ends on 2026-04-05"):
        year_documents_produce(schedule=uk_year["schedule"], tax_year="2025-26",
                               acting_user=payroll_admin, today=date(2026, 4, 5))


def test_only_a_payroll_admin_closes_the_year(uk_year, hr_admin):
    with pytest.raises(PermissionDenied):
        year_close(schedule=uk_year["schedule"], tax_year="2025-26", acting_user=hr_admin,
                   today=AFTER)


def test_close_refuses_while_a_run_of_the_year_is_not_finalised(uk_year, payroll_admin):
    schedule = uk_year["schedule"]
    run_create(schedule=schedule, period=schedule.periods.get(number=4),
               acting_user=payroll_admin)
    with pytest.raises(ValidationError, match="1 run"):
        year_close(schedule=schedule, tax_year="2025-26", acting_user=payroll_admin,
                   today=AFTER)
    assert not YearEndClose.objects.exists()


def test_close_produces_p60s_rolls_codes_forward_locks_and_is_idempotent(
        uk_year, payroll_admin, django_capture_on_commit_callbacks):
    schedule, stayer = uk_year["schedule"], uk_year["stayer"]
    # when
    with django_capture_on_commit_callbacks() as callbacks:
        close = year_close(schedule=schedule, tax_year="2025-26", acting_user=payroll_admin,
                           uplifts={"L": 7}, today=AFTER)
    assert callbacks  # the P60's PDF item is published after commit
    # then: a P60 for the stayer only (the leaver has their P45), equal to the payslips' YTD
    p60 = YearEndDocument.objects.get(kind=DocumentKind.P60)
    ytd = ytd_for(stayer, "2025-26")
    assert p60.employee == stayer and close.documents == 1
    assert Decimal(p60.figures["pay"]) == ytd["uk_taxable_pay"]
    assert Decimal(p60.figures["tax"]) == ytd["uk_tax_paid"]
    assert sum(Decimal(r["employee_ni"]) for r in p60.figures["ni_rows"]) == ytd[
        "uk_employee_ni"]
    row = p60.figures["ni_rows"][0]  # 3,000 a month: LEL 542, PT 1,048 (2025-26 monthly)
    assert row["letter"] == "A"
    assert (row["at_lel"], row["lel_to_pt"], row["pt_to_uel"]) == ("1626", "1518", "5856")
    assert p60.figures["final_tax_code"] == "1257L" and p60.figures["week1_month1"] is True
    assert DeliveryItem.objects.filter(kind="yearend.pdf", payload={"document_id": p60.pk})
    html = document_html(p60)
    assert "P60 End of Year Certificate" in html and "Tax year to 5 April 2026" in html
    # codes rolled forward for the new year, the month 1 marker removed, audited
    profile = TaxProfile.objects.get(employee=stayer, jurisdiction="UK")
    assert (profile.tax_code, profile.week1_month1) == ("1264L", False)
    assert TaxProfile.objects.get(employee=uk_year["leaver"]).tax_code == "1257L"  # left
    event = AuditEvent.objects.get(object_type="payroll.taxprofile", employee_id=stayer.pk)
    assert event.changes == {"tax_code": ["1257L", "1264L"], "week1_month1": [True, False]}
    # the year is locked: no new run, no correction paid in it
    with pytest.raises(ValidationError, match="closed"):
        run_create(schedule=schedule, period=schedule.periods.get(number=5),
                   acting_user=payroll_admin)
    with pytest.raises(ValidationError, match="closed"):
        run_correction_create(original=uk_year["runs"][0], employee_ids=[stayer.pk],
                              acting_user=payroll_admin, pay_date=date(2026, 3, 31))
    # closing twice does nothing new
    events = AuditEvent.objects.count()
    again = year_close(schedule=schedule, tax_year="2025-26", acting_user=payroll_admin,
                       uplifts={"L": 7}, today=AFTER)
    assert again.pk == close.pk and AuditEvent.objects.count() == events
    assert YearEndDocument.objects.count() == 2
    assert TaxProfile.objects.get(pk=profile.pk).tax_code == "1264L"


def test_the_pdf_is_rendered_once_with_the_shipped_fonts(uk_year):
    from yearend.pdf import document_render

    # given
    p45 = YearEndDocument.objects.get(kind=DocumentKind.P45)
    html = document_html(p45)
    assert "P45 Part 1A" in html and uk_year["leaver"].legal_last_name in html
    # when: rendered by the delivery handler's function, then asked again
    assert document_render(p45.pk) == YearEndDocument.PdfStatus.READY
    p45.refresh_from_db()
    data = p45.pdf_file.open("rb").read()
    # then: a PDF, stored with its hash; a second delivery keeps it
    assert data[:4] == b"%PDF" and len(p45.pdf_sha256) == 64
    assert document_render(p45.pk) == YearEndDocument.PdfStatus.READY


def test_reading_a_year_does_not_grow_with_headcount(uk_year, django_assert_num_queries):
    from yearend.selectors import slip_facts

    # two queries whatever the headcount: the payslips, then their lines
    with django_assert_num_queries(2):
        facts = slip_facts(uk_year["schedule"], "2025-26")
    assert sorted(len(v) for v in facts.values()) == [2, 3]


def test_with_four_eyes_a_second_payroll_admin_closes(uk_year, payroll_admin,
                                                      second_payroll_admin, settings):
    # given
    settings.YEAREND_CLOSE_FOUR_EYES = True
    schedule = uk_year["schedule"]
    # when the first asks: nothing is locked or produced yet, and they cannot confirm it
    asked = year_close(schedule=schedule, tax_year="2025-26", acting_user=payroll_admin,
                       uplifts={"L": 7}, today=AFTER)
    assert asked.status == YearEndClose.Status.REQUESTED
    assert not YearEndDocument.objects.filter(kind=DocumentKind.P60).exists()
    run_create(schedule=schedule, period=schedule.periods.get(number=5),
               acting_user=payroll_admin).delete()  # not locked yet
    with pytest.raises(ValidationError, match="Four-eyes"):
        year_close(schedule=schedule, tax_year="2025-26", acting_user=payroll_admin,
                   today=AFTER)
    # then the second closes it, with the uplifts the first entered
    done = year_close(schedule=schedule, tax_year="2025-26",
                      acting_user=second_payroll_admin, today=AFTER)
    assert (done.pk, done.status, done.closed_by) == (
        asked.pk, YearEndClose.Status.CLOSED, second_payroll_admin)
    assert TaxProfile.objects.get(employee=uk_year["stayer"]).tax_code == "1264L"
