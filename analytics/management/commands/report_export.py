"""Print a saved report's data for automation:

    python manage.py report_export <slug> [--as-of DATE] [--format csv|json] [--table NAME]

The report is computed with its owner's access now (a manager's saved report covers their
subtree; an owner who may no longer open the report gets an error, not the data). Every report
kind of analytics.catalogue: workforce, pay, pay_gap, eeo1, absence, coverage.
"""

import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder

from analytics.catalogue import KINDS
from analytics.export import saved_report_rows
from analytics.models import SavedReport
from hrops.exports import to_csv


class Command(BaseCommand):
    help = "Print a saved report's data (CSV or JSON) for automation."

    def add_arguments(self, parser) -> None:
        parser.add_argument("slug")
        parser.add_argument("--as-of", type=date.fromisoformat, default=None)
        parser.add_argument("--format", choices=("csv", "json"), default="csv")
        parser.add_argument("--table", default="", help="; ".join(
            f"{k}: {', '.join(v.tables)}" for k, v in KINDS.items()) + " (the first is the "
            "default)")

    def handle(self, *args, slug: str, as_of, format: str, table: str, **options) -> None:
        report = SavedReport.objects.select_related("owner").filter(slug=slug).first()
        if report is None:
            raise CommandError(f"No saved report {slug!r}.")
        try:
            rows = saved_report_rows(report, as_of=as_of, table=table)
        except (ValueError, PermissionError) as exc:
            raise CommandError(str(exc)) from exc
        if format == "json":
            header, *body = rows
            self.stdout.write(json.dumps([dict(zip(header, r, strict=True)) for r in body],
                                         cls=DjangoJSONEncoder, indent=2))
        else:
            self.stdout.write(to_csv(rows, bom=False, lineterminator="\n").decode(), ending="")
