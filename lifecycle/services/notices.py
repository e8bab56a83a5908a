"""The manager's notice when a report's onboarding starts."""

import logging

from django.conf import settings
from django.urls import reverse

from delivery.mail import send_item_email
from delivery.models import DeliveryItem
from employees.models import Employee
from employees.selectors import job_as_of
from lifecycle.models import Checklist, ChecklistKind, Task

log = logging.getLogger(__name__)


def onboarding_notice_send(*, item: DeliveryItem) -> bool:
    employee_id = item.payload["employee_id"]
    employee = Employee.objects.filter(pk=employee_id).first()
    if employee is None:
        log.info("onboarding notice: employee %s is gone", employee_id)
        return False
    job = job_as_of(employee, employee.hire_date)
    manager = job.manager if job else employee.manager
    if manager is None or manager.user is None or not manager.user.is_active:
        return False
    checklists = Checklist.objects.filter(employee=employee, kind=ChecklistKind.ONBOARDING)
    manager_tasks = list(
        Task.objects.filter(checklist__in=checklists, assignee_user=manager.user,
                            status=Task.Status.OPEN).order_by("due_date", "id")
    )
    site = settings.SITE_URL.rstrip("/")
    send_item_email(
        item, "lifecycle_onboarding_notice",
        {"manager": manager, "employee": employee, "job": job, "tasks": manager_tasks,
         "board_url": f"{site}{reverse('lifecycle:my_tasks')}",
         "checklists_url": f"{site}{reverse('lifecycle:employee_checklists',
                                            args=[employee.pk])}"},
        to=[manager.user.email],
    )
    return True
