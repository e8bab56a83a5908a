"""Signals other apps listen to, so payroll imports none of its consumers (DOMAIN.md: layers
point down). Receivers connect in their own AppConfig.ready():

- pensions assesses each calculated regular run (`run_calculated`);
- yearend refuses a pay date in a closed tax year (`run_pay_date_check`) and writes a leaver's
  P45 with their final pay (`run_finalised`);
- webhooks sends `payroll.run.finalised` (`run_finalised`).
"""

from django.dispatch import Signal

# Sent inside the transaction that marks a run calculated; kwargs: run, generation.
run_calculated = Signal()

# Sent before a run is created, a correction is created for a run and a run is finalised; kwargs:
# schedule, pay_date. A receiver refuses the pay date by raising ValidationError (sent with
# Signal.send, so the error reaches the caller and nothing is written).
run_pay_date_check = Signal()

# Sent inside the transaction that finalises a run, after its payslips are numbered and frozen;
# kwargs: run, acting_user, deliver (False: loading history, no documents or emails now).
# Receivers write their rows and outbox items in this transaction: a rolled-back finalisation
# leaves nothing behind.
run_finalised = Signal()
