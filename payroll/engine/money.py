"""The one place where money is rounded.

Every helper names its rounding mode, and every caller cites the official rule that puts the
rounding there. Amounts are ``Decimal`` built from strings; floats never enter the engine.
"""

from decimal import ROUND_CEILING, ROUND_DOWN, ROUND_FLOOR, ROUND_HALF_DOWN, ROUND_HALF_UP, Decimal
from functools import lru_cache

ZERO = Decimal("0")
CENT = Decimal("0.01")
MILL = Decimal("0.001")
DOLLAR = Decimal("1")
FOUR_PLACES = Decimal("0.0001")


class MoneyError(ValueError):
    """A value could not be read as a decimal amount."""


def to_decimal(value: object) -> Decimal:
    """Read an amount from a string, int or Decimal; floats are refused (they are not exact)."""
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, (bool, float)):
        raise MoneyError("not a decimal amount")
    elif isinstance(value, (int, str)):
        try:
            result = Decimal(str(value).strip())
        except ArithmeticError as exc:
            raise MoneyError("not a decimal amount") from exc
    else:
        raise MoneyError("not a decimal amount")
    if not result.is_finite():
        raise MoneyError("not a decimal amount")
    return result


def quantize(amount: Decimal, step: Decimal = CENT, *, rounding: str) -> Decimal:
    """Round ``amount`` to ``step`` with an explicitly named ``decimal`` rounding mode."""
    return amount.quantize(step, rounding=rounding)


def half_up_cents(amount: Decimal) -> Decimal:
    """Nearest cent, halves away from zero (IRS Pub 15 and payslip lines)."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def half_up_dollars(amount: Decimal) -> Decimal:
    """Nearest whole dollar, halves up (Pub 15-T whole-dollar withholding option)."""
    return amount.quantize(DOLLAR, rounding=ROUND_HALF_UP).quantize(CENT)


def truncate_pence(amount: Decimal) -> Decimal:
    """Towards zero to the penny (HMRC PAYE spec: tax due is rounded down to the penny)."""
    return amount.quantize(CENT, rounding=ROUND_DOWN)


def floor_pounds(amount: Decimal) -> Decimal:
    """Down to whole pounds (HMRC PAYE spec: taxable pay to date is rounded down)."""
    return amount.quantize(DOLLAR, rounding=ROUND_FLOOR)


def truncate_4dp(amount: Decimal) -> Decimal:
    """Towards zero to 4 decimal places (HMRC PAYE spec: pro-rated band limits)."""
    return amount.quantize(FOUR_PLACES, rounding=ROUND_DOWN)


def ceil_pence(amount: Decimal) -> Decimal:
    """Up to the next penny (HMRC PAYE spec: the pay adjustment remainder is rounded up)."""
    return amount.quantize(CENT, rounding=ROUND_CEILING)


def ceil_pounds(amount: Decimal) -> Decimal:
    """Up to the next whole pound (HMRC directors' pro-rata annual earnings period thresholds)."""
    return amount.quantize(DOLLAR, rounding=ROUND_CEILING)


def hmrc_ni_round(amount: Decimal) -> Decimal:
    """HMRC NI rounding: look at the third decimal only; 5 or less rounds down, 6 or more up.

    E.g. 0.0056 -> 0.00 and 0.0064 -> 0.01 (HMRC NIC test data; CWG2 "exact percentage method").
    Truncating to 3 places first and then rounding half-down at the penny is exactly that rule.
    """
    return amount.quantize(MILL, rounding=ROUND_DOWN).quantize(CENT, rounding=ROUND_HALF_DOWN)


def fmt(amount: Decimal) -> str:
    """Amount for a trace formula (display only): separators, 2 decimals, or 4 when needed.

    Hot path (every trace calls it), so it avoids normalize()/as_tuple().
    """
    cents = amount.quantize(CENT)  # display only: never feeds a calculation
    if cents == amount:
        return f"{cents:,}"
    return f"{amount:,.4f}"


@lru_cache(maxsize=1024)
def fmt_rate(rate: Decimal) -> str:
    """A rate as a percentage for traces: Decimal('0.062') -> '6.2%' (cached: few rates)."""
    pct = (rate * 100).normalize()
    return f"{pct:f}%"
