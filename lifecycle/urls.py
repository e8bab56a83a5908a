from django.urls import path

from lifecycle import views

app_name = "lifecycle"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("my/", views.my_tasks, name="my_tasks"),
    path("my/complete/", views.bulk_complete, name="bulk_complete"),
    path("settings/", views.digest_settings, name="settings"),
    path("tasks/<int:pk>/", views.task_detail, name="task"),
    path("tasks/<int:pk>/complete/", views.task_complete, name="task_complete"),
    path("tasks/<int:pk>/skip/", views.task_skip, name="task_skip"),
    path("tasks/<int:pk>/reassign/", views.task_reassign, name="task_reassign"),
    path("tasks/<int:pk>/upload/", views.task_upload, name="task_upload"),
    path("tasks/<int:pk>/acknowledge/", views.task_acknowledge, name="task_acknowledge"),
    path("tasks/<int:pk>/fields/", views.task_fill_fields, name="task_fields"),
    path("documents/<int:pk>/", views.document_download, name="document"),
    path("employees/<int:pk>/", views.employee_checklists, name="employee_checklists"),
    path("employees/<int:pk>/start/", views.checklist_start, name="checklist_start"),
    path("employees/<int:pk>/offboard/", views.offboard, name="offboard"),
    path("employees/<int:pk>/offboard/cancel/", views.offboard_cancel, name="offboard_cancel"),
    path("checklists/<int:pk>/cancel/", views.checklist_cancel, name="checklist_cancel"),
    path("hire/", views.hire, name="hire"),
    path("templates/", views.template_list, name="templates"),
    path("templates/new/", views.template_create, name="template_create"),
    path("templates/<int:pk>/", views.template_detail, name="template"),
    path("templates/<int:pk>/edit/", views.template_edit, name="template_edit"),
]
