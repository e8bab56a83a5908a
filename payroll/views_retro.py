"""Retro pay: a Payroll Admin confirms the recovery a back-dated pay decrease found."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from payroll.services.retro import retro_recovery_confirm
from payroll.views import _fail, _get_run


@require_POST
def recovery_confirm(request: HttpRequest, pk: int, payslip_pk: int) -> HttpResponse:
    run = _get_run(request, pk)
    payslip = get_object_or_404(run.payslips.select_related("employee"), pk=payslip_pk)
    try:
        rows = retro_recovery_confirm(run=run, employee=payslip.employee,
                                      acting_user=request.user,
                                      comment=request.POST.get("comment", ""))
    except ValidationError as exc:
        _fail(request, exc)
    else:
        messages.success(request, _("Recovery of %(amount)s confirmed; recalculate the run to "
                                    "deduct it.") % {"amount": sum(r.amount for r in rows)})
    return redirect("payroll:payslip_detail", pk=run.pk, payslip_pk=payslip.pk)
