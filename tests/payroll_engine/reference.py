"""Access to the shared official test data (../shared/data/payroll), skipped when absent."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

REFERENCE_DIR = (Path(__file__).resolve().parents[2] / "../shared/data/payroll").resolve()


def load_reference(name: str) -> list[dict[str, Any]]:
    path = REFERENCE_DIR / name
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as fh:
        return json.load(fh)


def reference_params(name: str, id_key: str) -> list[Any]:
    """Rows as pytest params; one skipped param with the reason when the data is absent."""
    rows = load_reference(name)
    if not rows:
        return [pytest.param(None, marks=pytest.mark.skip(
            reason=f"official test data {REFERENCE_DIR / name} not present (needs ../shared)"))]
    return [pytest.param(row, id=str(row[id_key])) for row in rows]
