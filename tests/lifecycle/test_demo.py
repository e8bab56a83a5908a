from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from lifecycle.models import Checklist, ChecklistTemplate, LeaverNotice, Task


@pytest.mark.django_db
def test_demo_has_templates_checklists_in_progress_overdue_tasks_and_a_leaver():
    call_command("seed_demo", stdout=StringIO())
    names = set(ChecklistTemplate.objects.values_list("name", flat=True))
    assert {"General onboarding", "Engineering onboarding", "US right to work (Form I-9)",
            "UK right to work check", "Leaver"} <= names
    today = timezone.localdate()
    assert Checklist.objects.filter(employee__status="pre_hire", kind="onboarding").exists()
    assert Checklist.objects.filter(employee__status="active", kind="onboarding").exists()
    assert Task.objects.filter(status="open", due_date__lt=today).exists()
    assert Task.objects.filter(status="done").exists()
    leaver = LeaverNotice.objects.get(status="scheduled")
    assert Checklist.objects.filter(employee=leaver.employee, kind="offboarding").exists()
    # the demo employee has tasks of their own in the portal
    assert Task.objects.filter(checklist__employee__user__email="employee@demo.hrops.test",
                               assignee_rule="employee", status="open").exists()
