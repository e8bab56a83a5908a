from payroll.models import PayRun
from pensions.models import Membership, PensionScheme


def scheme_members(scheme: PensionScheme):
    return Membership.objects.filter(scheme=scheme).select_related("employee").order_by(
        "employee__legal_last_name", "employee__legal_first_name")


def scheme_runs(scheme: PensionScheme):
    return PayRun.objects.filter(schedule__in=scheme.schedules.all(),
                                 kind=PayRun.Kind.REGULAR).select_related("period").order_by(
        "-pay_date")[:24]


def my_memberships(employee):
    return Membership.objects.filter(employee=employee).select_related("scheme").prefetch_related(
        "letters")
