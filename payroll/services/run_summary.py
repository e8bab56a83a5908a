"""A run's review figures, worked out once when its calculation completes.

The run page and the review at 20,000 payslips spent most of their time summing and joining
every payslip on each request. The figures only change when the run is calculated again, so
the transaction that marks a calculation complete (payroll.services.runs._finish) stores them
in a PayRunSummary. It is never edited afterwards: a new calculation bumps the run's generation
and writes a new one; a change in what the run is compared with (another regular run finalised
since, a correction of it finalised) changes the comparison key, and the selectors then work
the figures out live (payroll.selectors_review.run_review).
"""

from payroll.models import PayRun, PayRunSummary
from payroll.selectors_review import compared_with, review_figures


def run_summary_write(run: PayRun) -> PayRunSummary:
    """Store the figures of the run's current calculation (inside the caller's transaction)."""
    compared = compared_with(run)
    summary, _ = PayRunSummary.objects.update_or_create(run=run, defaults={
        "generation": run.calc_generation, "compared_key": compared.key,
        "figures": review_figures(run, compared)})
    return summary
