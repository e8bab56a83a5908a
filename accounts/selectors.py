from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery

from accounts.models import MfaReset


def user_list(*, search: str = "") -> QuerySet:
    """Users for the Users and roles page with their roles, whether they have TOTP and who asked
    for a pending two-factor reset: two queries (users, prefetched groups) whatever the page
    size."""
    pending = MfaReset.objects.filter(user=OuterRef("pk"), status=MfaReset.Status.PENDING)
    qs = get_user_model().objects.annotate(
        has_totp=Exists(Authenticator.objects.filter(user=OuterRef("pk"),
                                                     type=Authenticator.Type.TOTP)),
        mfa_reset_by_id=Subquery(pending.values("requested_by_id")[:1]),
        mfa_reset_by=Subquery(pending.values("requested_by__email")[:1]),
    ).prefetch_related("groups").order_by("email")
    if search:
        qs = qs.filter(Q(email__icontains=search) | Q(full_name__icontains=search))
    return qs
