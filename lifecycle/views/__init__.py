"""Lifecycle pages: `boards` (my tasks, a task, an employee's checklists), `flows` (hire,
offboard), `templates` (checklist templates), `dashboard` (HR overview, digest settings)."""

from lifecycle.views.boards import (
    bulk_complete,
    checklist_cancel,
    checklist_start,
    document_download,
    employee_checklists,
    my_tasks,
    task_acknowledge,
    task_complete,
    task_detail,
    task_fill_fields,
    task_reassign,
    task_skip,
    task_upload,
)
from lifecycle.views.dashboard import dashboard, digest_settings
from lifecycle.views.flows import hire, offboard, offboard_cancel
from lifecycle.views.templates import (
    template_create,
    template_detail,
    template_edit,
    template_list,
)

__all__ = [
    "bulk_complete", "checklist_cancel", "checklist_start", "dashboard", "digest_settings",
    "document_download", "employee_checklists", "hire", "my_tasks", "offboard",
    "offboard_cancel", "task_acknowledge", "task_complete", "task_detail", "task_fill_fields",
    "task_reassign", "task_skip", "task_upload", "template_create", "template_detail",
    "template_edit", "template_list",
]
