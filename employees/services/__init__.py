"""Writes to the employee record, by area: `core` (people, jobs, pay, status), and one module
per further area. Import from the submodule: `from employees.services.core import ...`."""
