"""The analytics reports as JSON: schema-only serializers (validated against every answer by
tests/api/test_contract.py) and the functions that turn a report of `analytics/` into its body.
The reports are computed by analytics' own entry points (pay.pay_report, absence_by_department,
coverage, pay_gap_report, eeo1_report); nothing is recomputed here. Suppressed groups keep their
size and give null figures, exactly as the pages and exports do; individual pay (people outside
their pay band) is a separate, optional section."""

from decimal import Decimal

from drf_spectacular.utils import inline_serializer
from rest_framework import serializers as s

from analytics.eeo1 import NO_CATEGORY, NOT_IDENTIFIED, RACES, SEXES
from analytics.models import EEOJobCategory


def _dec(**kwargs):
    return s.DecimalField(max_digits=14, decimal_places=4, allow_null=True, **kwargs)


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


Distribution = inline_serializer("PayDistribution", {
    "label": s.CharField(), "people": s.IntegerField(), "suppressed": s.BooleanField(),
    "q1": _dec(), "median": _dec(), "q3": _dec()}, many=True)

PayShape = inline_serializer("PayReport", {
    "as_of": s.DateField(), "currency": s.CharField(allow_blank=True),
    "currencies": s.ListField(child=s.CharField()),
    "other_currencies": s.DictField(child=s.IntegerField(),
                                    help_text="People paid in another currency (not converted)."),
    "not_annualised": s.IntegerField(help_text="Hourly staff without contracted hours."),
    "min_group": s.IntegerField(help_text="Groups smaller than this are suppressed."),
    "by_job_title": Distribution, "by_department": Distribution,
    "bands": inline_serializer("PayBandRow", {
        "job_title": s.CharField(), "currency": s.CharField(), "minimum": _dec(),
        "midpoint": _dec(), "maximum": _dec(), "people": s.IntegerField(),
        "suppressed": s.BooleanField(), "below": s.IntegerField(allow_null=True),
        "within": s.IntegerField(allow_null=True), "above": s.IntegerField(allow_null=True),
        "average_compa_ratio": _dec()}, many=True),
    "changes_from": s.DateField(), "changes_to": s.DateField(),
    "changes": inline_serializer("PayChangeRow", {
        "reason": s.CharField(), "changes": s.IntegerField(), "suppressed": s.BooleanField(),
        "average_percent": _dec()}, many=True),
    "cost": inline_serializer("PayrollCostRow", {
        "month": s.CharField(), "department": s.CharField(), "people": s.IntegerField(),
        "suppressed": s.BooleanField(), "gross": _dec(), "employer_tax": _dec(),
        "employer_cost": _dec()}, many=True),
    "outside_band_count": s.IntegerField(),
    "outside_band": inline_serializer("OutsideBand", {
        "employee_id": s.IntegerField(), "job_title": s.CharField(), "annual_pay": _dec(),
        "band_minimum": _dec(), "band_maximum": _dec()}, many=True, required=False,
        help_text="Individual pay: only for HR Admin with the compensation:read scope."),
})


def _distributions(rows) -> list[dict]:
    return [{"label": d.label, "people": d.count, "suppressed": d.suppressed,
             "q1": _text(d.q1), "median": _text(d.median), "q3": _text(d.q3)} for d in rows]


def pay_body(report: dict, *, individual: bool) -> dict:
    population = report["population"]
    body = {
        "as_of": report["as_of"].isoformat(), "currency": population.currency,
        "currencies": population.currencies, "other_currencies": population.other_currencies,
        "not_annualised": population.not_annualised, "min_group": report["min_group"],
        "by_job_title": _distributions(report["by_title"]),
        "by_department": _distributions(report["by_department"]),
        "bands": [{
            "job_title": r.label, "currency": r.band.currency,
            "minimum": _text(r.band.minimum), "midpoint": _text(r.band.midpoint),
            "maximum": _text(r.band.maximum), "people": r.count, "suppressed": r.suppressed,
            **dict.fromkeys(("below", "within", "above"), None), **({} if r.suppressed else {
                "below": r.below, "within": r.within, "above": r.above}),
            "average_compa_ratio": _text(r.average_compa)} for r in report["bands"]],
        "changes_from": report["changes_from"].isoformat(),
        "changes_to": report["changes_to"].isoformat(),
        "changes": [{"reason": r.reason, "changes": r.count, "suppressed": r.suppressed,
                     "average_percent": _text(r.average_percent)} for r in report["changes"]],
        "cost": [{"month": r.month.strftime("%Y-%m"), "department": r.department,
                  "people": r.people, "suppressed": r.suppressed, "gross": _text(r.gross),
                  "employer_tax": _text(r.employer_tax),
                  "employer_cost": _text(r.employer_cost)} for r in report["cost"]],
        "outside_band_count": len(report["outside"]),
    }
    if individual:
        body["outside_band"] = [{
            "employee_id": p.employee_id, "job_title": band.job_title.name,
            "annual_pay": _text(p.annual), "band_minimum": _text(band.minimum),
            "band_maximum": _text(band.maximum)} for p, band in report["outside"]]
    return body


_ABSENCE_ROW = {
    "department_id": s.IntegerField(allow_null=True), "department": s.CharField(),
    "people": s.IntegerField(), "suppressed": s.BooleanField(),
    "working_days_available": _dec(), "working_days_lost": _dec(),
    "absence_rate_percent": _dec(), "spells": s.IntegerField(allow_null=True),
    "mean_bradford_factor": _dec()}
AbsenceShape = inline_serializer("AbsenceReport", {
    "first": s.DateField(), "last": s.DateField(),
    "departments": inline_serializer("AbsenceRow", _ABSENCE_ROW, many=True),
    "total": inline_serializer("AbsenceTotal", _ABSENCE_ROW)})


def _absence_row(r) -> dict:
    hidden = r.suppressed
    return {"department_id": r.department_id, "department": r.label, "people": r.people,
            "suppressed": hidden,
            "working_days_available": None if hidden else _text(r.available),
            "working_days_lost": None if hidden else _text(r.lost),
            "absence_rate_percent": _text(r.rate), "spells": None if hidden else r.spells,
            "mean_bradford_factor": _text(r.mean_bradford)}


def absence_body(first, last, rows, total) -> dict:
    return {"first": first.isoformat(), "last": last.isoformat(),
            "departments": [_absence_row(r) for r in rows], "total": _absence_row(total)}


CoverageShape = inline_serializer("ComplianceCoverageReport", {
    "months": inline_serializer("CoverageMonth", {
        "month": s.CharField(), "required": s.IntegerField(), "compliant": s.IntegerField(),
        "coverage_percent": _dec()}, many=True)})


def coverage_body(rows) -> dict:
    return {"months": [{"month": r.month.strftime("%Y-%m"), "required": r.required,
                        "compliant": r.compliant, "coverage_percent": _text(r.percent)}
                       for r in rows]}


PayGapShape = inline_serializer("GenderPayGapReport", {
    "snapshot_date": s.DateField(), "sector": s.CharField(),
    "employer": s.CharField(allow_blank=True), "relevant_employees": s.IntegerField(),
    "reporting_required": s.BooleanField(),
    "mean_hourly_gap_percent": _dec(), "median_hourly_gap_percent": _dec(),
    "mean_bonus_gap_percent": _dec(), "median_bonus_gap_percent": _dec(),
    "men_receiving_bonus_percent": _dec(), "women_receiving_bonus_percent": _dec(),
    "quarters": inline_serializer("PayGapQuarter", {
        "quarter": s.CharField(), "men_percent": _dec(), "women_percent": _dec(),
        "people": s.IntegerField()}, many=True)})


def pay_gap_body(report) -> dict:
    """The six figures as the government service asks for them (no audit sheet: that is
    individual pay, on the page and its export for HR Admin)."""
    f = report.figures
    return {
        "snapshot_date": report.snapshot.isoformat(), "sector": report.sector,
        "employer": report.employer, "relevant_employees": f.relevant,
        "reporting_required": report.required,
        "mean_hourly_gap_percent": _text(f.mean_gap),
        "median_hourly_gap_percent": _text(f.median_gap),
        "mean_bonus_gap_percent": _text(f.mean_bonus_gap),
        "median_bonus_gap_percent": _text(f.median_bonus_gap),
        "men_receiving_bonus_percent": _text(f.men_bonus_percent),
        "women_receiving_bonus_percent": _text(f.women_bonus_percent),
        "quarters": [{"quarter": band, "men_percent": _text(men), "women_percent": _text(women),
                      "people": size} for band, men, women, size in f.quartiles]}


EEO1Shape = inline_serializer("EEO1Report", {
    "as_of": s.DateField(), "total": s.IntegerField(),
    "categories": inline_serializer("EEO1Category", {
        "category": s.CharField(), "label": s.CharField(),
        "counts": inline_serializer("EEO1Cell", {
            "race_ethnicity": s.CharField(), "sex": s.CharField(),
            "people": s.IntegerField()}, many=True),
        "not_self_identified": s.IntegerField(), "total": s.IntegerField()}, many=True)})


def eeo1_body(report) -> dict:
    """Component 1 with exact counts, as the filing needs them (HR Admin only)."""
    categories = [*EEOJobCategory.Category.choices, (NO_CATEGORY, "No job category")]
    return {"as_of": report.as_of.isoformat(), "total": report.total, "categories": [{
        "category": code, "label": str(label),
        "counts": [{"race_ethnicity": race.value, "sex": sex.value,
                    "people": report.cell(code, race, sex)} for race in RACES for sex in SEXES],
        "not_self_identified": report.cell(code, NOT_IDENTIFIED, ""),
        "total": report.category_total(code)} for code, label in categories]}
