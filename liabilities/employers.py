"""Which legal employers exist: one per PAYE reference (GB schedules) or EIN (US schedules),
with its stored settings when it has any. Reads only."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.http import Http404

from liabilities.models import Employer
from payroll.models import PaySchedule


@dataclass
class LegalEmployer:
    country: str
    reference: str
    name: str
    settings: Employer
    schedule_ids: list[int] = field(default_factory=list)
    schedule_names: list[str] = field(default_factory=list)

    @property
    def slug(self) -> str:
        # PAYE references hold a "/", which a URL path segment cannot.
        return self.reference.replace("/", "_")

    @property
    def currency(self) -> str:
        return "GBP" if self.country == "GB" else "USD"


def reference_from_slug(country: str, slug: str) -> str:
    return slug.replace("_", "/") if country == "GB" else slug


def legal_employers() -> tuple[list[LegalEmployer], list[str]]:
    """(employers, names of supported schedules with no employer reference). Two queries."""
    found: dict[tuple[str, str], LegalEmployer] = {}
    unreferenced: list[str] = []
    stored = {(e.country, e.reference): e for e in Employer.objects.all()}
    rows = PaySchedule.objects.order_by("name").values_list(
        "pk", "name", "country", "employer_paye_reference", "employer_ein", "employer_legal_name")
    for pk, name, country, paye, ein, legal in rows:
        country = "GB" if country in ("GB", "UK") else country
        reference = paye if country == "GB" else ein if country == "US" else ""
        if not reference:
            if country in ("GB", "US"):
                unreferenced.append(name)
            continue
        key = (country, reference)
        if key not in found:
            found[key] = LegalEmployer(country, reference, legal or reference,
                                       stored.get(key) or Employer(country=country,
                                                                   reference=reference))
        found[key].schedule_ids.append(pk)
        found[key].schedule_names.append(name)
    return sorted(found.values(), key=lambda e: (e.country, e.name)), unreferenced


def legal_employer_get(country: str, slug: str) -> LegalEmployer:
    reference = reference_from_slug(country.upper(), slug)
    for employer in legal_employers()[0]:
        if (employer.country, employer.reference) == (country.upper(), reference):
            return employer
    raise Http404("No such employer")
