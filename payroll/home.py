from django.db.models import Count

from accounts.roles import sees_payroll
from payroll.models import PayRun


def home_cards(user) -> list[dict]:
    """Pay runs that need someone: drafts to calculate, results to approve, runs to finalise."""
    if not sees_payroll(user):
        return []
    open_statuses = [PayRun.Status.DRAFT, PayRun.Status.CALCULATING, PayRun.Status.CALCULATED,
                     PayRun.Status.APPROVED]
    counts = dict(PayRun.objects.filter(status__in=open_statuses).values_list("status")
                  .annotate(n=Count("id")).order_by())
    return [{"template": "payroll/cards/runs.html",
             "rows": [(label, counts.get(value, 0)) for value, label in PayRun.Status.choices
                      if value in open_statuses]}]
