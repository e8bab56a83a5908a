"""The compliance summary (`compliance.models.ComplianceSummary`): the dashboard's and the HR
home card's figures, stored so those pages read one row instead of counting every cell (60,000
at 20,000 people).

- Every change of the stored statuses (`compliance.services.statuses.compliance_status_refresh`)
  calls `compliance_summary_changed` in its transaction: one `ComplianceSummaryChange` row
  (an INSERT: concurrent changes never wait on each other), so the summary is out of use from
  the moment the change commits. After commit a task builds it again in the background.
- `compliance_figures` (the pages) reads the summary while it is current (no change waiting,
  built today, the employee table's fingerprint unchanged: hires, leavers and department moves
  change the people counts without touching a status); otherwise it counts live, stores what it
  counted and deletes the change rows it saw before counting. A change that commits meanwhile
  keeps its row, so the summary stays out of use until the next build: a page never shows a
  figure that differs from a live count.
- The background build is only a head start (the first page after a change would build it
  anyway), so a lost task loses nothing: it is published after commit and a broker error is
  logged, never raised (the change is already committed; see the delivery app for work that
  must happen).
"""

import logging
from datetime import date

from django.db import transaction
from django.utils import timezone

from compliance.models import ComplianceSummary, ComplianceSummaryChange
from compliance.selectors_stored import employees_fingerprint, live_figures, summary_current

log = logging.getLogger(__name__)


def _publish_build() -> None:
    from compliance.tasks import compliance_summary_build_task

    try:
        compliance_summary_build_task.delay()
    except Exception:  # the broker is down: the next page view builds it instead
        log.warning("compliance summary: build not published", exc_info=True)


def compliance_summary_changed() -> None:
    """Call inside the transaction of a change of the stored statuses."""
    ComplianceSummaryChange.objects.create()
    transaction.on_commit(_publish_build, robust=True)


def compliance_summary_build(*, today: date | None = None) -> dict:
    """Count the figures now, store them and return them (idempotent)."""
    today = today or timezone.localdate()
    seen = list(ComplianceSummaryChange.objects.values_list("pk", flat=True))
    # Read before counting: a hire or leaver after this point makes the fingerprint differ.
    fingerprint = employees_fingerprint()
    data = live_figures(today)
    with transaction.atomic():
        ComplianceSummary.objects.update_or_create(pk=1, defaults={
            "computed_on": today, "built_at": timezone.now(),
            "employees_fingerprint": fingerprint, "data": data})
        if seen:
            ComplianceSummaryChange.objects.filter(pk__in=seen).delete()
    return data


def compliance_summary_refresh(*, today: date | None = None) -> bool:
    """The background build: only when the summary is not current (a burst of changes makes
    one build, not one per change). True when it built."""
    today = today or timezone.localdate()
    if summary_current(today) is not None:
        return False
    compliance_summary_build(today=today)
    return True


def compliance_figures(today: date) -> dict:
    """The figures for a page: the summary's when it is current (two queries), else counted
    now and stored for the next page."""
    summary = summary_current(today)
    return summary.data if summary is not None else compliance_summary_build(today=today)
