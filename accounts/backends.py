"""Model permissions that follow from a role rather than from rows in auth tables, so they
cannot drift (a flushed or restored database, a group edited in the admin)."""

from django.contrib.auth.backends import BaseBackend

from accounts.roles import Role, has_role

# HR Admin configures single sign-on: the identity providers are allauth's "Social
# applications" in the Django admin (README: "Single sign-on").
ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.HR_ADMIN: frozenset(f"socialaccount.{action}_socialapp"
                             for action in ("add", "change", "delete", "view")),
}


class RolePermissionsBackend(BaseBackend):
    def _permissions(self, user_obj) -> frozenset[str]:
        if not getattr(user_obj, "is_active", False):
            return frozenset()
        granted: frozenset[str] = frozenset()
        for role, permissions in ROLE_PERMISSIONS.items():
            if has_role(user_obj, role):
                granted |= permissions
        return granted

    def has_perm(self, user_obj, perm: str, obj=None) -> bool:
        return obj is None and perm in self._permissions(user_obj)

    def has_module_perms(self, user_obj, app_label: str) -> bool:
        return any(p.startswith(f"{app_label}.") for p in self._permissions(user_obj))
