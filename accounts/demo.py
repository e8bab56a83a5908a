from dataclasses import dataclass, field
from random import Random

from django.contrib.auth import get_user_model

from accounts.roles import Role
from accounts.services import user_create

DEMO_PASSWORD = "hrops-demo-2026"  # noqa: S105 - published demo credential, demo data only

# email -> (full name, roles); linked to employees by employees.demo
DEMO_USERS: dict[str, tuple[str, list[str]]] = {
    "hr.admin@demo.hrops.test": ("Hannah Reid", [Role.HR_ADMIN, Role.EMPLOYEE]),
    "hr.staff@demo.hrops.test": ("Samir Patel", [Role.HR_STAFF, Role.EMPLOYEE]),
    "payroll.admin@demo.hrops.test": ("Priya Shah", [Role.PAYROLL_ADMIN, Role.EMPLOYEE]),
    "payroll.approver@demo.hrops.test": ("Oliver Grant", [Role.PAYROLL_ADMIN, Role.EMPLOYEE]),
    "manager@demo.hrops.test": ("Maria Lopez", [Role.MANAGER, Role.EMPLOYEE]),
    "employee@demo.hrops.test": ("Ethan Brooks", [Role.EMPLOYEE]),
}


@dataclass
class DemoContext:
    """Shared between app seeders: one seeded random source, the demo users by email."""

    rng: Random = field(default_factory=lambda: Random(2026))
    users: dict[str, object] = field(default_factory=dict)
    logins: dict[str, str] = field(default_factory=dict)


def seed_users(ctx: DemoContext) -> None:
    User = get_user_model()
    for email, (name, roles) in DEMO_USERS.items():
        user = User.objects.filter(email=email).first()
        if user is None:
            user = user_create(acting_user=None, email=email, full_name=name, roles=roles,
                               password=DEMO_PASSWORD, send_welcome=False)
        ctx.users[email] = user
        shown = [str(r) for r in roles if r != Role.EMPLOYEE] or [str(Role.EMPLOYEE)]
        ctx.logins[email] = " + ".join(shown)
