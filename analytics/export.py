"""A saved report's rows, computed with its owner's access (report_export, automation)."""

from datetime import date

from analytics import pay
from analytics.filters import filters_from_form
from analytics.forms import PayFilterForm, WorkforceFilterForm
from analytics.models import SavedReport
from analytics.reports import workforce_report
from analytics.tables import PAY_TABLES, TABLES, pay_table, report_table


def saved_report_rows(report: SavedReport, *, as_of: date | None = None,
                      table: str = "") -> list[list[object]]:
    params = dict(report.params)
    if as_of is not None:
        params["as_of"] = as_of.isoformat()
    if report.kind == SavedReport.Kind.PAY:
        table = table or "by_department"
        if table not in PAY_TABLES:
            raise ValueError(f"Pay tables: {', '.join(PAY_TABLES)}")
        form = PayFilterForm(params)
        data = form.cleaned_data if form.is_valid() else {}
        data_report = pay.pay_report(
            filters_from_form(report.owner, form), form.as_of_date(),
            currency=data.get("currency") or "", changes_from=data.get("changes_from"),
            changes_to=data.get("changes_to"))
        return pay_table(data_report, table)
    table = table or "trend"
    if table not in TABLES:
        raise ValueError(f"Workforce tables: {', '.join(TABLES)}")
    form = WorkforceFilterForm(params)
    return report_table(workforce_report(filters=filters_from_form(report.owner, form),
                                         as_of=form.as_of_date(),
                                         months=form.months_wanted()), table)
