"""P9X tax code roll-forward: uplifts by suffix, week 1 / month 1 markers removed, other codes
carried unchanged."""

import pytest

from yearend.rollover import roll_code

UPLIFT = {"L": 7, "M": 8, "N": 6}


@pytest.mark.parametrize(("code", "expected"), [
    ("1257L", "1264L"), ("S1257L", "S1264L"), ("C1100M", "C1108M"), ("1131N", "1137N"),
    ("1257L M1", "1264L"), ("1257L W1", "1264L"), ("1257LX", "1264L"), ("500T", "500T"),
    ("BR", "BR"), ("D0", "D0"), ("NT", "NT"), ("0T", "0T"), ("K475", "K475"), ("SK100", "SK100"),
    ("0T M1", "0T"), ("BR W1", "BR"),
])
def test_roll_code(code, expected):
    assert roll_code(code, UPLIFT) == expected


def test_frozen_allowances_only_remove_the_markers():
    assert roll_code("1257L M1", {}) == "1257L"
