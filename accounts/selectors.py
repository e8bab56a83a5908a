from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q, QuerySet


def user_list(*, search: str = "") -> QuerySet:
    """Users for the Users and roles page with their roles and whether they have TOTP: two
    queries (users, prefetched groups) whatever the page size."""
    qs = get_user_model().objects.annotate(
        has_totp=Exists(Authenticator.objects.filter(user=OuterRef("pk"),
                                                     type=Authenticator.Type.TOTP)),
    ).prefetch_related("groups").order_by("email")
    if search:
        qs = qs.filter(Q(email__icontains=search) | Q(full_name__icontains=search))
    return qs
