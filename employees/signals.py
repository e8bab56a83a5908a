"""What happened to the employee record, for the apps above it (webhooks sends them as events),
so the record imports none of its consumers (DOMAIN.md: layers point down). Each is sent with
Signal.send inside the transaction of the service that made the change, so a receiver writes
its outbox rows with the change and a rolled-back change tells nobody. Receivers connect in
their AppConfig.ready() (webhooks.hooks).

An app that keeps fields on the record (custom fields) sends `employee_updated` for them."""

from django.dispatch import Signal

# kwargs: employees (list of Employee, one or a bulk import's chunk)
employee_hired = Signal()
# kwargs: employee, changed (the names of the fields that changed; never their values)
employee_updated = Signal()
# kwargs: employee (on the effective date: the day after the last working day)
employee_terminated = Signal()
# kwargs: record (a JobRecord added after the hire's own)
job_changed = Signal()
# kwargs: record (a CompensationRecord added after the hire's own)
compensation_changed = Signal()
