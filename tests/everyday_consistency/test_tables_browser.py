"""Wide tables in a real browser (issue 13 item 6): at 1366 px no key page scrolls sideways and
every column header is on screen; at 390 px the tables stack, each cell labelled with its column,
and nothing is cut off."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from accounts.roles import Role
from employees.models import Employment
from lifecycle.models import AssigneeRule
from lifecycle.services.checklists import checklist_start
from payroll.services.periods import periods_generate
from payroll.services.runs import run_create
from tests.browser import login
from tests.factories import UserFactory
from tests.factories.employees_records import BankAccountFactory
from tests.factories.lifecycle import make_template, task_spec
from tests.factories.payroll_runs import UKMonthlyScheduleFactory, paid_employee
from tests.mfa import enrol_totp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Every table on the page: does the page scroll sideways, is any header (wide screens) or
# labelled cell (stacked, narrow screens) outside the viewport or its scrolling wrapper?
PROBLEMS = """() => {
  const problems = [];
  const root = document.documentElement;
  if (root.scrollWidth > root.clientWidth + 1) problems.push(`page ${root.scrollWidth}px wide`);
  const outside = (el) => {
    const box = el.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) return false;
    let clip = {left: 0, right: root.clientWidth};
    const wrap = el.closest(".table-wrap");
    if (wrap) { const w = wrap.getBoundingClientRect(); clip = {left: w.left, right: w.right}; }
    return box.left < clip.left - 1 || box.right > clip.right + 1;
  };
  document.querySelectorAll("#main table").forEach((table, n) => {
    const head = table.querySelector("thead") || table;
    const stacked = getComputedStyle(head).position === "absolute";
    const cells = table.querySelectorAll(stacked ? "td[data-label]" : "thead th");
    cells.forEach((cell) => {
      const name = cell.dataset.label || cell.textContent.trim();
      if (outside(cell)) problems.push(`table ${n}: ${name}`);
    });
  });
  return problems;
}"""

# Cells under a column header with text that did not get the header as their label.
UNLABELLED = """() => {
  let missing = 0;
  document.querySelectorAll("#main table").forEach((table) => {
    const headers = Array.from(table.querySelectorAll("thead tr:last-child th"))
      .flatMap((th) => Array(th.colSpan).fill(th.textContent.trim()));
    table.querySelectorAll("tbody tr").forEach((row) => {
      let column = 0;
      Array.from(row.children).forEach((cell) => {
        const header = headers[column];
        if (cell.colSpan === 1 && header && cell.dataset.label !== header) missing++;
        column += cell.colSpan;
      });
    });
  });
  return missing;
}"""


def test_key_tables_fit_at_1366_and_stack_at_390(page, password):
    # given an HR Admin who has tasks, a person with two bank accounts, and a pay run
    admin = UserFactory(email="tables@example.test", roles=[Role.HR_ADMIN])
    secret = enrol_totp(admin)
    schedule = UKMonthlyScheduleFactory()
    periods_generate(schedule=schedule, until=date(2026, 3, 31), acting_user=admin)
    person = paid_employee(schedule, legal_first_name="Maximiliana",
                           legal_last_name="Featherstonehaugh-Worthington")
    BankAccountFactory(employee=person, holder_name="Maximiliana Featherstonehaugh-Worthington",
                       is_primary=False)
    template = make_template("Onboarding", tasks=[
        task_spec("Order a laptop and its many accessories", assignee_rule=AssigneeRule.HR),
        task_spec("Book the welcome lunch", assignee_rule=AssigneeRule.HR, offset_days=3)])
    checklist_start(acting_user=admin, template=template, employee=person,
                    employment=Employment.objects.get(employee=person),
                    anchor_date=timezone.localdate() - timedelta(days=5))
    payroll = UserFactory(email="tables.payroll@example.test", roles=[Role.PAYROLL_ADMIN])
    run = run_create(schedule=schedule, period=schedule.periods.get(number=1), acting_user=payroll)
    pages = {"bank": f"/employees/{person.pk}/bank/", "my tasks": "/lifecycle/my/",
             "directory": "/employees/", "pay run": f"/payroll/runs/{run.pk}/"}
    login(page, admin.email, password, totp_secret=secret)

    for width, height in ((1366, 800), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        for name, url in pages.items():
            # when the page is opened at this width
            page.goto(url)
            page.wait_for_load_state("networkidle")
            # then nothing is cut off or scrolls sideways
            assert page.locator("#main table").count(), (name, width)
            assert page.evaluate(PROBLEMS) == [], (name, width)
            if width == 390:
                # and every table stacked, its cells labelled with their column
                assert page.locator("#main table:not(.table-stack)").count() == 0, name
                assert page.evaluate(UNLABELLED) == 0, name
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/lifecycle/my/")
    assert page.locator("td[data-label='Due']").count() and page.locator(
        "td[data-label='Status']").count()
