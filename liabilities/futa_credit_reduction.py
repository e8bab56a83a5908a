"""FUTA credit-reduction states per year (Form 940 Schedule A): states with outstanding federal
unemployment loans, whose employers lose part of the 5.4% credit. Data, one table a year.

2025: California 1.2%, U.S. Virgin Islands 4.5% (U.S. Department of Labor, "Final 2025 Federal
Unemployment Tax Act (FUTA) Credit Reductions", rev. 10 November 2025,
https://oui.doleta.gov/unemploy/futa_credit.asp; Connecticut and New York repaid in time: 0.0%;
2025 Schedule A (Form 940)).
A year not listed here is not yet published (the Department of Labor announces it in November):
the 940 then says so instead of assuming no reduction.
"""

from decimal import Decimal

CREDIT_REDUCTION: dict[int, dict[str, Decimal]] = {
    2025: {"CA": Decimal("0.012"), "VI": Decimal("0.045")},
}
