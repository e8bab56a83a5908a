"""Signals other apps listen to (pensions assesses each calculated regular run)."""

from django.dispatch import Signal

# Sent inside the transaction that marks a run calculated; kwargs: run, generation.
run_calculated = Signal()
