"""US EEO-1 Component 1 (issue 15 item 5): employee counts by job category x race/ethnicity x
sex for a workforce snapshot date, from voluntary self-identification. HR Admin only; exact
counts, as the filing needs them.

Counted: employees of a US location employed on the snapshot date (job record in force).
Someone who did not identify both sex and race/ethnicity ("I do not wish to answer", or no
answer) is counted in "Not self-identified" of their job category; a job title without an
EEO-1 category in "No job category"."""

from collections import Counter
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from analytics.models import EEOJobCategory, SelfIdentification
from audit.services import audit_record
from employees.models import Employee

S, R, C = SelfIdentification.Sex, SelfIdentification.Race, EEOJobCategory.Category
RACES = [r for r in R if r != R.DECLINED]
SEXES = [S.MALE, S.FEMALE]
NOT_IDENTIFIED = "not_identified"
NO_CATEGORY = "none"


@transaction.atomic
def self_identification_save(*, acting_user, employee: Employee, sex: str,
                             race_ethnicity: str) -> SelfIdentification:
    """The employee's own answers. The audit event says it changed, never what was chosen
    (the trail is seen by more people than HR Admin)."""
    if employee.user_id is None or employee.user_id != acting_user.pk:
        raise PermissionDenied(_("Only the employee fills in their self-identification."))
    record = SelfIdentification.objects.select_for_update().filter(employee=employee).first()
    if record and (record.sex, record.race_ethnicity) == (sex, race_ethnicity):
        return record
    created = record is None
    record = record or SelfIdentification(employee=employee)
    record.sex, record.race_ethnicity = sex, race_ethnicity
    record.save()
    audit_record(actor=acting_user, action="create" if created else "update", obj=record,
                 employee_id=employee.pk,
                 changes={"self_identification": ["(hidden)", "(hidden)"]},
                 note="Voluntary self-identification (answers visible to HR Admin only)")
    return record


@transaction.atomic
def eeo_category_set(*, acting_user, job_title, category: str) -> EEOJobCategory:
    row, created = EEOJobCategory.objects.select_for_update().get_or_create(
        job_title=job_title, defaults={"category": category})
    before = None if created else row.category
    if not created and row.category == category:
        return row
    row.category = category
    row.save()
    audit_record(actor=acting_user, action="create" if created else "update", obj=row,
                 changes={"category": [before, category]})
    return row


@dataclass(frozen=True)
class EEO1Report:
    as_of: date
    counts: Counter  # (category, race, sex) or (category, NOT_IDENTIFIED, "") -> people
    total: int

    def cell(self, category: str, race: str, sex: str) -> int:
        return self.counts[(category, race, sex)]

    def category_total(self, category: str) -> int:
        return sum(n for (c, _r, _s), n in self.counts.items() if c == category)

    def rows(self) -> list[list[object]]:
        """The Component 1 grid as a table (header first), one row per job category."""
        header = ["Job category"] + [f"{r.label} - {s.label}" for r in RACES for s in SEXES] \
            + ["Not self-identified", "Total"]
        out: list[list[object]] = [header]
        for code, label in [*C.choices, (NO_CATEGORY, _("No job category"))]:
            out.append([str(label)] + [self.cell(code, r, s) for r in RACES for s in SEXES]
                       + [self.cell(code, NOT_IDENTIFIED, ""), self.category_total(code)])
        totals = ["Total"] + [sum(r[i] for r in out[1:]) for i in range(1, len(header))]
        return [*out, totals]


# The job category of the job in force and the employee's own answers, joined after the
# location (analytics.asof builds the people-on-a-day query).
_LOCATION_JOIN = "JOIN employees_location l ON l.id = j.location_id "
_ANSWERS_JOIN = ("LEFT JOIN analytics_eeojobcategory cat ON cat.job_title_id = j.job_title_id "
                 "LEFT JOIN analytics_selfidentification s ON s.employee_id = e.employee_id ")


def eeo1_report(as_of: date) -> EEO1Report:
    """One query, counted in the database: a row per (category, sex, race) whatever the
    headcount."""
    from django.db import connection

    from analytics.asof import _people_sql
    from analytics.metrics import Filters

    sql, params = _people_sql(as_of, Filters(country="US"),
                              "cat.category, s.sex, s.race_ethnicity, COUNT(*)",
                              "GROUP BY cat.category, s.sex, s.race_ethnicity")
    sql = sql.replace(_LOCATION_JOIN, _LOCATION_JOIN + _ANSWERS_JOIN, 1)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    counts: Counter = Counter()
    for category, sex, race, n in rows:
        category = category or NO_CATEGORY
        if sex in SEXES and race in RACES:
            counts[(category, race, sex)] += n
        else:
            counts[(category, NOT_IDENTIFIED, "")] += n
    return EEO1Report(as_of, counts, sum(n for *_, n in rows))
