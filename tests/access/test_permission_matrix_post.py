"""The POST side of the permission matrix (issue 12): every POST-only URL (a row with "m" in
PERMISSIONS) posted, with an empty body, by an anonymous visitor, an unrelated Employee and a
Manager (of the subject, org.report). Anonymous visitors are sent to sign in; the two signed-in
roles, who hold none of these rights on that subject, are refused (403/404) - and nothing is
written: every change to people, pay or compliance data is audited or queued, so neither the
audit trail nor the delivery outbox may grow."""

import pytest

from audit.models import AuditEvent
from delivery.models import DeliveryItem
from tests.access import test_permission_matrix as matrix

pytestmark = pytest.mark.django_db

world = matrix.world

# URLs about the signed-in person's own things, not the subject's: an Employee or Manager may
# use them (an empty body is then a 400, or a redirect with "nothing selected"). They are still
# posted, and must still write nothing.
OWN = {
    "compliance:my_upload",  # my own compliance evidence
    "lifecycle:bulk_complete",  # tasks assigned to me
    "timeoff:request_new",  # my own leave request
    "timeoff:sickness_self",  # my own self-certified sickness
    "notifications:read_all",  # my own notifications
}


# Actions on one's own things that need no input, so an empty POST does them (audited): their
# own tests cover who may use them (tests/timeoff: a new private link for one's calendar feed).
OWN_ACTIONS = {"timeoff:ical_reset"}


class _Posting:
    """Lets the GET matrix's URL filling (_observe) send a POST instead."""

    def __init__(self, client) -> None:
        self.client = client

    def get(self, url: str):
        return self.client.post(url, {})


def test_post_only_urls_refuse_roles_without_rights_and_write_nothing(request, client_factory):
    users, values, objects = request.getfixturevalue("world")
    values = {**values, "user_pk": users["employee"].pk}
    clients = {"anonymous": client_factory()}
    for role in ("employee", "manager"):
        clients[role] = client_factory()
        clients[role].force_login(users[role])
    post_only = [(name, route) for name, route in matrix._patterns()
                 if matrix.PERMISSIONS.get(name, "").split()[1:2] == ["m"]
                 and name not in OWN_ACTIONS]
    assert len(post_only) > 20
    audit_before, outbox_before = AuditEvent.objects.count(), DeliveryItem.objects.count()

    observed = {name: {role: matrix._observe(_Posting(c), name, route, values, objects)
                       for role, c in clients.items()} for name, route in post_only}

    wrong = {name: seen for name, seen in observed.items()
             if seen["anonymous"] != 302 or (name not in OWN and (
                 seen["employee"] not in (403, 404) or seen["manager"] not in (403, 404)))}
    assert wrong == {}
    assert AuditEvent.objects.count() == audit_before
    assert DeliveryItem.objects.count() == outbox_before
