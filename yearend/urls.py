from django.urls import path

from yearend import views

app_name = "yearend"

urlpatterns = [
    path("", views.index, name="index"),
    path("my/", views.my_documents, name="my_documents"),
    path("documents/<int:pk>/download/", views.document_download, name="document_download"),
    path("employees/<int:pk>/", views.employee_documents, name="employee_documents"),
    path("schedules/<int:pk>/filing/", views.filing_settings, name="filing_settings"),
    path("schedules/<int:pk>/<str:tax_year>/", views.year_detail, name="year"),
    path("schedules/<int:pk>/<str:tax_year>/produce/", views.produce, name="produce"),
    path("schedules/<int:pk>/<str:tax_year>/close/", views.close, name="close"),
    path("schedules/<int:pk>/<str:tax_year>/bundle/", views.bundle_request_view,
         name="bundle_request"),
    path("schedules/<int:pk>/<str:tax_year>/efw2/", views.efw2_download, name="efw2"),
    path("schedules/<int:pk>/<str:tax_year>/w3.pdf", views.w3_download, name="w3_pdf"),
    path("bundles/<int:pk>/", views.bundle_download, name="bundle_download"),
]
