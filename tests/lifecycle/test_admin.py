import pytest
from django.urls import reverse

from employees.models import Employment
from lifecycle.services.checklists import checklist_start
from tests.factories import UserFactory
from tests.factories.lifecycle import make_template, task_spec
from tests.mfa import enrol_totp

pytestmark = pytest.mark.django_db


def test_admin_lists_and_edits_templates_checklists_and_tasks(client, org, hr_staff):
    admin = UserFactory(is_superuser=True, is_staff=True)
    enrol_totp(admin)
    template = make_template("General", tasks=[task_spec("A"), task_spec("B")])
    checklist = checklist_start(acting_user=hr_staff, template=template, employee=org.report,
                                employment=Employment.objects.get(employee=org.report))
    task = checklist.tasks.first()
    client.force_login(admin)
    for name, args in [
        ("admin:lifecycle_checklisttemplate_changelist", []),
        ("admin:lifecycle_checklisttemplate_change", [template.pk]),
        ("admin:lifecycle_checklist_changelist", []),
        ("admin:lifecycle_checklist_change", [checklist.pk]),
        ("admin:lifecycle_task_changelist", []),
        ("admin:lifecycle_task_change", [task.pk]),
        ("admin:lifecycle_leavernotice_changelist", []),
        ("admin:lifecycle_digestsent_changelist", []),
    ]:
        response = client.get(reverse(name, args=args))
        assert response.status_code == 200, name
    # a version with running checklists is read-only; an unused one is editable inline
    body = client.get(reverse("admin:lifecycle_checklisttemplate_change",
                              args=[template.pk])).content.decode()
    assert 'name="tasks-0-title"' not in body
    unused = make_template("Transfer", kind="other", tasks=[task_spec("New desk")])
    body = client.get(reverse("admin:lifecycle_checklisttemplate_change",
                              args=[unused.pk])).content.decode()
    assert 'name="tasks-0-title"' in body and 'value="New desk"' in body
