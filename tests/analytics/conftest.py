from datetime import date
from types import SimpleNamespace

import pytest

from tests.factories.analytics import person
from tests.factories.employees import DepartmentFactory, JobTitleFactory, LocationFactory

AS_OF = date(2026, 3, 15)


@pytest.fixture
def today(monkeypatch):
    """Pin the day the trend's current month is read on."""
    monkeypatch.setattr("analytics.reports.report_today", lambda: AS_OF)
    return AS_OF


@pytest.fixture
def company(db, today):
    """The hand-computed company of tests/analytics (see test_workforce.py for the sums).

    A 2020-01-06-        Eng        London FT 1.0
    B 2025-06-02-01-31   Platform   London FT    (resignation)   manager A
    C 2025-11-10-        Sales→Eng  NYC    PT 0.5 (moves 2026-02-01)  manager A
    D 2024-06-03-02-14   Sales      NYC    contractor (end of contract)  manager A
    E 2026-02-16-        Eng        London FT    manager A
    F 2026-04-01-        Eng        London FT    (future start)
    G 2015-05-01-2026-05-29 Sales   London FT    (resignation, scheduled)
    H 2025-12-01-2026-01-15 Eng     London temporary (dismissal)
    """
    eng = DepartmentFactory(name="Engineering", code="ENG")
    platform = DepartmentFactory(name="Platform", code="PLAT", parent=eng)
    sales = DepartmentFactory(name="Sales", code="SALES")
    london = LocationFactory(name="London", country="GB")
    nyc = LocationFactory(name="New York", country="US", city="New York")
    title = JobTitleFactory()
    a = person(hire=date(2020, 1, 6), department=eng, location=london, title=title)
    common = {"title": title, "manager": a}
    people = SimpleNamespace(
        a=a,
        b=person(hire=date(2025, 6, 2), department=platform, location=london,
                 end=date(2026, 1, 31), reason="resignation", **common),
        c=person(hire=date(2025, 11, 10), department=sales, location=nyc,
                 employment_type="part_time", fte="0.500", moves=((date(2026, 2, 1), eng),),
                 **common),
        d=person(hire=date(2024, 6, 3), department=sales, location=nyc, end=date(2026, 2, 14),
                 reason="end_of_contract", employment_type="contractor", **common),
        e=person(hire=date(2026, 2, 16), department=eng, location=london, **common),
        f=person(hire=date(2026, 4, 1), department=eng, location=london, title=title),
        g=person(hire=date(2015, 5, 1), department=sales, location=london, title=title,
                 end=date(2026, 5, 29), reason="resignation"),
        h=person(hire=date(2025, 12, 1), department=eng, location=london, title=title,
                 end=date(2026, 1, 15), reason="dismissal", employment_type="temporary"),
    )
    return SimpleNamespace(eng=eng, platform=platform, sales=sales, london=london, nyc=nyc,
                           title=title, people=people)
