"""The legal employer of a pay schedule (name, address, PAYE reference / EIN), edited by a
Payroll Admin on the schedule page."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.roles import is_staff_member
from payroll.forms import EmployerDetailsForm, PaymentDetailsForm
from payroll.models import PaySchedule
from payroll.services import employer
from payroll.services.runs import require_payroll_admin


def employer_form_for(schedule: PaySchedule) -> EmployerDetailsForm:
    return EmployerDetailsForm(initial={name: getattr(schedule, name) for name in employer.FIELDS})


@require_POST
def schedule_employer_details(request: HttpRequest, pk: int) -> HttpResponse:
    if not is_staff_member(request.user):
        raise Http404  # like every payroll page: no existence leak
    require_payroll_admin(request.user)
    schedule = get_object_or_404(PaySchedule, pk=pk)
    form = EmployerDetailsForm(request.POST)
    if form.is_valid():
        data = employer.EmployerDetails(**{n: form.cleaned_data[n] for n in employer.FIELDS})
        try:
            employer.schedule_employer_update(schedule=schedule, data=data,
                                              acting_user=request.user)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Employer details saved."))
            return redirect("payroll:schedule_detail", pk=pk)
    from payroll.views import _payment_form_initial

    return render(request, "payroll/schedule_detail.html", {
        "schedule": schedule, "periods": schedule.periods.order_by("-start_date")[:60],
        "can_run": True, "employer_form": form,
        "payment_form": PaymentDetailsForm(initial=_payment_form_initial(schedule))},
        status=400)
