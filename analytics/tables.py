"""The report's tables as rows (header first), shared by the page, CSV/XLSX exports and
`manage.py report_export`; and the HTTP answer of an export (hrops.exports writes it)."""

from collections.abc import Sequence

from django.http import HttpResponse
from django.utils import timezone

from analytics.drill import Person
from analytics.reports import WorkforceReport
from hrops.exports import XLSX_CONTENT_TYPE, to_csv, to_xlsx

TABLES = ("trend", "tenure", "span", "summary")
PAY_TABLES = ("by_title", "by_department", "bands", "changes", "cost")


def trend_rows(report: WorkforceReport) -> list[list[object]]:
    rows: list[list[object]] = [[
        "Month", "Headcount", "FTE", "Plan headcount", "Plan FTE", "Variance to plan",
        "Open positions", "Hires", "Leavers", "Voluntary", "Involuntary", "Other",
        "Turnover %", "Voluntary turnover %", "Trailing 12 months turnover %"]]
    for r in report.trend:
        m = r.month
        rows.append([m.month.strftime("%Y-%m"), m.headcount, m.fte, r.plan_headcount,
                     r.plan_fte, r.variance, r.open_positions, m.hires, m.leavers_total,
                     m.leavers["voluntary"], m.leavers["involuntary"], m.leavers["other"],
                     m.turnover, m.turnover_of("voluntary"), r.trailing])
    return rows


def tenure_rows(report: WorkforceReport) -> list[list[object]]:
    return [["Tenure", "People"], *([band, n] for band, n in report.tenure.items())]


def span_rows(report: WorkforceReport) -> list[list[object]]:
    return [["Direct reports", "Managers"], *([band, n] for band, n in
                                                report.span.bands.items())]


def summary_rows(report: WorkforceReport) -> list[list[object]]:
    r90, r365 = report.retention_90, report.retention_365
    return [["Measure", "Value"], ["As of", report.as_of], ["Headcount", report.headcount],
            ["FTE", report.fte], ["Retention at 90 days %", r90.rate],
            ["Retention at 90 days: cohort", r90.cohort],
            ["Retention at 1 year %", r365.rate], ["Retention at 1 year: cohort", r365.cohort],
            ["Managers", report.span.managers], ["Average span of control", report.span.average],
            ["Median span of control", report.span.median],
            ["Upcoming starts", len(report.upcoming["starts"])],
            ["Upcoming leaves", len(report.upcoming["leaves"])],
            ["Upcoming contract ends", len(report.upcoming["contract_ends"])]]


def report_table(report: WorkforceReport, table: str) -> list[list[object]]:
    return {"trend": trend_rows, "tenure": tenure_rows, "span": span_rows,
            "summary": summary_rows}[table](report)


def people_rows(people: list[Person]) -> list[list[object]]:
    rows: list[list[object]] = [[
        "Employee number", "Name", "Department", "Job title", "Location", "Employment type",
        "Start date", "Last working day", "Termination reason"]]
    for p in people:
        rows.append([p.employee.employee_number, p.employee.display_name, p.department,
                     p.job_title, p.location, p.employment_type, p.stint.start, p.stint.end,
                     p.reason])
    return rows


def export_response(fmt: str, name: str, rows: Sequence[Sequence[object]]) -> HttpResponse:
    stamp = timezone.localdate().isoformat()
    if fmt == "xlsx":
        response = HttpResponse(to_xlsx(rows, title=name), content_type=XLSX_CONTENT_TYPE)
    else:
        response = HttpResponse(to_csv(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.{fmt}"'
    return response


def _distribution_rows(label: str, rows) -> list[list[object]]:
    return [[label, "People", "Lower quartile", "Median", "Upper quartile"], *(
        [d.label, d.count, d.q1, d.median, d.q3] for d in rows)]


def pay_table(report: dict, table: str) -> list[list[object]]:
    """Rows of one pay table; suppressed groups keep their size and no figures."""
    currency = report["population"].currency
    if table == "by_title":
        return _distribution_rows(f"Job title ({currency})", report["by_title"])
    if table == "by_department":
        return _distribution_rows(f"Department ({currency})", report["by_department"])
    if table == "bands":
        return [["Job title", "Currency", "Minimum", "Midpoint", "Maximum", "People", "Below",
                 "Within", "Above", "Average compa-ratio"], *(
            [r.label, r.band.currency, r.band.minimum, r.band.midpoint, r.band.maximum,
             r.count, *((None, None, None) if r.suppressed else (r.below, r.within, r.above)),
             r.average_compa] for r in report["bands"])]
    if table == "changes":
        return [["Reason", "Changes", "Average change %"], *(
            [r.reason, r.count, r.average_percent] for r in report["changes"])]
    return [["Month", "Department", "People", f"Gross ({currency})", "Employer taxes",
             "Employer cost"], *(
        [r.month.strftime("%Y-%m"), r.department, r.people, r.gross, r.employer_tax,
         r.employer_cost] for r in report["cost"])]


def absence_rows(rows) -> list[list[object]]:
    """Sickness absence by department (analytics.absence); suppressed rows keep their size."""
    return [["Department", "People", "Working days available", "Working days lost",
             "Absence rate %", "Spells", "Mean Bradford factor"], *(
        [r.label, r.people, None if r.suppressed else r.available,
         None if r.suppressed else r.lost, r.rate, None if r.suppressed else r.spells,
         r.mean_bradford] for r in rows)]


def coverage_rows(rows) -> list[list[object]]:
    """Compliance coverage by month (analytics.coverage)."""
    return [["Month", "Required", "Compliant", "Coverage %"], *(
        [r.month.strftime("%Y-%m"), r.required, r.compliant, r.percent] for r in rows)]
