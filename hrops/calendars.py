"""Public holidays per country, shared by payroll (pay dates) and lifecycle (task due dates).

Uses the `holidays` package. "GB"/"UK" means England's bank holidays (HMRC and BACS close on
them; Scottish and Northern Irish ones differ and are not modelled per employee). A country the
package does not know has no public holidays here, rather than an error: an HR record with an
unusual work country must never stop a checklist or a pay run.
"""

from collections.abc import Container, Iterable
from datetime import date
from functools import lru_cache

import holidays


@lru_cache(maxsize=256)
def _calendar(code: str, years: tuple[int, ...]) -> frozenset[date]:
    try:
        if code == "GB":
            calendar = holidays.country_holidays("GB", subdiv="ENG", years=years)
        else:
            calendar = holidays.country_holidays(code, years=years)
    except NotImplementedError:
        return frozenset()
    return frozenset(calendar)


def public_holidays(country: str, years: Iterable[int]) -> Container[date]:
    """The public holidays of `country` (ISO 3166 alpha-2) in the given years."""
    code = (country or "").upper()
    code = "GB" if code == "UK" else code
    if not code:
        return frozenset()
    return _calendar(code, tuple(sorted(set(years))))


def is_working_day(day: date, public: Container[date] = frozenset()) -> bool:
    """Monday to Friday and not a public holiday."""
    return day.weekday() < 5 and day not in public
