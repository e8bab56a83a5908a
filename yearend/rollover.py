"""Rolling UK tax codes forward into a new tax year (HMRC form P9X, "Tax codes to use from
6 April"): pure Python.

- Codes ending in a suffix the notice names (L, M, N) increase by the number it gives for that
  suffix (the P9X "add N to codes ending in L" instruction; 0 when allowances are frozen), Scottish
  (S) and Welsh (C) prefixes kept.
- Week 1 / month 1 markers are removed, so every code is operated on the cumulative basis (P9X:
  "do not carry forward any week 1 or month 1 markers"), emergency codes included: they are
  carried forward as the code itself, now cumulative.
- Every other code (BR, D0, D1, NT, 0T and other T codes, K codes) is carried forward unchanged
  (the P9X uplifts only L, M and N codes; T codes wait for HMRC's own notice).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

_MARKER = re.compile(r"\s*(?:W1|M1|X)$", re.IGNORECASE)
_UPLIFTABLE = re.compile(r"^([SC]?)(\d+)([LMN])$")


def strip_marker(code: str) -> str:
    """'1257L M1' / '1257L W1' / '1257LX' -> '1257L' (upper case, no spaces)."""
    return _MARKER.sub("", (code or "").strip().upper()).replace(" ", "")


def roll_code(code: str, uplifts: Mapping[str, int]) -> str:
    plain = strip_marker(code)
    match = _UPLIFTABLE.match(plain)
    if not match:
        return plain
    prefix, number, suffix = match.groups()
    return f"{prefix}{int(number) + int(uplifts.get(suffix, 0))}{suffix}"
