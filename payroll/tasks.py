"""Celery adapters: load by id, call one service.

Pay-run calculation chunks, payslip PDFs and payslip emails are delivery items (see
payroll/deliveries.py): the delivery task runs them, the delivery relay re-publishes them."""
