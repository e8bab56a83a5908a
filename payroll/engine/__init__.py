"""HROps payroll engine: pure, exact, explainable gross-to-net (no Django imports).

Public API::

    from payroll.engine import calculate, PayInputs, PayResult
    result = calculate(PayInputs(...))

See ``payroll/engine/README.md``.
"""

from payroll.engine.components import PayComponent
from payroll.engine.gross_to_net import calculate
from payroll.engine.types import (
    USW4,
    CompensationSegment,
    Options,
    PayInputs,
    PayItem,
    PayLine,
    PayResult,
    UKDirector,
    UKTaxProfile,
    YearToDate,
)

__all__ = [
    "USW4",
    "CompensationSegment",
    "Options",
    "PayComponent",
    "PayInputs",
    "PayItem",
    "PayLine",
    "PayResult",
    "UKDirector",
    "UKTaxProfile",
    "YearToDate",
    "calculate",
]
