"""Ledger invariants under any sequence of requests, decisions, cancellations and jobs
(hypothesis): the balance is the sum of the entries, an approved request has taken exactly its
cost, a cancelled one nothing, and no accrual is ever posted twice."""

from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories.timeoff import LeavePolicyFactory
from timeoff.models import LeaveRequest, LedgerEntry
from timeoff.services.jobs import accrual_post, year_end_run
from timeoff.services.ledger import balance
from timeoff.services.requests import (
    Dates,
    request_approve,
    request_cancel,
    request_create,
    request_decline,
)

pytestmark = pytest.mark.django_db
START = date(2026, 1, 5)
FAR = date(2030, 1, 1)

OPS = st.lists(st.one_of(
    st.tuples(st.just("book"), st.integers(0, 120), st.integers(0, 6)),
    st.tuples(st.just("approve"), st.integers(0, 9)),
    st.tuples(st.just("decline"), st.integers(0, 9)),
    st.tuples(st.just("cancel"), st.integers(0, 9)),
    st.tuples(st.just("accrue"), st.integers(1, 14)),
    st.tuples(st.just("year_end"), st.integers(0, 3)),
), max_size=25)


def _apply(op, org, holiday, made: list) -> None:
    employee_user, manager_user = org.users["employee"], org.users["manager"]
    kind = op[0]
    try:
        if kind == "book":
            first = START + timedelta(days=op[1])
            made.append(request_create(employee=org.report, leave_type=holiday,
                                       dates=Dates(first, first + timedelta(days=op[2])),
                                       acting_user=employee_user))
        elif kind == "accrue":
            month = op[1]
            accrual_post(employee_ids=[org.report.pk],
                         on=date(2026 + (month - 1) // 12, (month - 1) % 12 + 1, 1))
        elif kind == "year_end":
            year_end_run(on=date(2027, 1, 1) + timedelta(days=op[1]))
        elif made:
            request = made[op[1] % len(made)]
            if kind == "approve":
                request_approve(request=request, acting_user=manager_user)
            elif kind == "decline":
                request_decline(request=request, acting_user=manager_user, reason="No")
            else:
                request_cancel(request=request, acting_user=manager_user, today=START)
    except (ValidationError, PermissionDenied):
        pass  # refused operations must leave the ledger as it was; checked below


def _check(org, holiday) -> None:
    entries = LedgerEntry.objects.filter(employee=org.report, leave_type=holiday)
    total = entries.aggregate(s=Sum("amount"))["s"] or D("0")
    assert balance(org.report, holiday, FAR) == total
    # one job entry per policy, person, kind and period
    dupes = entries.exclude(period="").values("policy", "kind", "period").annotate(
        n=Count("id")).filter(n__gt=1)
    assert not dupes.exists()
    for request in LeaveRequest.objects.filter(employee=org.report):
        taken = -(entries.filter(request=request).aggregate(s=Sum("amount"))["s"] or D("0"))
        assert taken == (request.amount if request.status == "approved" else D("0"))


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(ops=OPS)
def test_any_sequence_keeps_the_ledger_consistent(org, holiday, ops):
    with transaction.atomic():
        LeavePolicyFactory(leave_type=holiday, method="monthly", annual_amount=D("24"),
                           carry_over_limit=D("5"), carry_over_expiry_months=3)
        made: list = []
        for op in ops:
            _apply(op, org, holiday, made)
            _check(org, holiday)
        transaction.set_rollback(True)
