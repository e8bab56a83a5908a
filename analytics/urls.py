from django.urls import path

from analytics import (
    views,
    views_absence,
    views_coverage,
    views_eeo1,
    views_gpg,
    views_pay,
    views_saved,
)

app_name = "analytics"

urlpatterns = [
    path("", views.workforce, name="workforce"),
    path("people/", views.people, name="people"),
    path("plan/", views.plan, name="plan"),
    path("plan/import/", views.plan_upload, name="plan_upload"),
    path("refresh/", views.refresh, name="refresh"),
    path("pay/", views_pay.pay_report, name="pay"),
    path("pay/bands/", views_pay.band_save, name="pay_band_save"),
    path("saved/", views_saved.saved_list, name="saved"),
    path("saved/<int:pk>/delete/", views_saved.saved_delete, name="saved_delete"),
    path("self-identification/", views_eeo1.self_identification, name="self_identification"),
    path("eeo1/", views_eeo1.eeo1, name="eeo1"),
    path("eeo1/categories/", views_eeo1.eeo1_category, name="eeo1_category"),
    path("absence/", views_absence.absence, name="absence"),
    path("compliance/", views_coverage.compliance_coverage, name="compliance_coverage"),
    path("gender-pay-gap/", views_gpg.gender_pay_gap, name="gender_pay_gap"),
    path("gender-pay-gap/gender/", views_gpg.gender_set, name="gender_pay_gap_gender"),
    path("gender-pay-gap/recalculate/", views_gpg.recalculate,
         name="gender_pay_gap_recalculate"),
]
