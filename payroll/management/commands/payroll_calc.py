"""``python manage.py payroll_calc`` - the calculation contract on stdin/stdout.

A thin adapter: all parsing and calculation live in ``payroll.engine.contract`` (pure Python).
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from payroll.engine.contract import run


class Command(BaseCommand):
    help = (
        "Read one JSON calculation request (or a list) on stdin and print the result(s) as "
        "JSON. Exit status 2 when any item has bad input (the other items are still computed)."
    )
    stealth_options = ("stdin",)

    def handle(self, *args: Any, **options: Any) -> None:
        stream = options.get("stdin") or sys.stdin
        output, status = run(stream.read())
        self.stdout.write(output)
        if status:
            raise CommandError("bad input in at least one item; see the errors", returncode=status)
