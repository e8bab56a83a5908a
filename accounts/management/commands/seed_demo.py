"""Load a realistic demo company. Idempotent: a second run finds everything in place and
changes nothing. Each app seeds its own part in a demo module (`def seed(ctx: DemoContext)`)."""

from importlib import import_module

from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.demo import DEMO_PASSWORD, DemoContext, seed_users

DEMO_SEEDERS = [
    "employees.demo", "employees.demo_records", "lifecycle.demo", "compliance.demo", "payroll.demo",
    "timeoff.demo", "employees.demo_photos", "customfields.demo", "liabilities.demo",
    "analytics.demo",
]


class Command(BaseCommand):
    help = "Create (or complete) the demo company: ~200 employees, roles and demo logins."

    def handle(self, *args: object, **options: object) -> None:
        ctx = DemoContext()
        with transaction.atomic():
            seed_users(ctx)
            for path in DEMO_SEEDERS:
                import_module(path).seed(ctx)
        self.stdout.write(self.style.SUCCESS("Demo company ready. Demo logins (password: "
                                             f"{DEMO_PASSWORD}):"))
        for email, role in ctx.logins.items():
            self.stdout.write(f"  {role:<16} {email}")
        self.stdout.write("HR Admin and Payroll Admin are asked to set up an authenticator app "
                          "(TOTP) at first sign-in.")
