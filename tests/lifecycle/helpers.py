from datetime import date
from decimal import Decimal

from employees.services.core import JobData, PayData
from lifecycle.services.flows import HireData, hire_create


def hire(acting_user, ref, *, start: date, number: str = "N0001", manager=None,
         department=None, location=None, country: str = "GB", login: bool = False,
         email: str | None = None, today: date | None = None, employment_type="full_time"):
    data = HireData(
        employee_number=number, legal_first_name="Nina", legal_last_name="Newhire",
        start_date=start, work_country=country,
        work_email=email or f"{number.lower()}@work.example.test", create_login=login,
        job=JobData(job_title=ref.title, department=department or ref.eng,
                    location=location or ref.london, manager=manager,
                    employment_type=employment_type),
        pay=PayData(basis="salary", currency="GBP", annual_salary=Decimal("50000.00"),
                    pay_schedule=ref.schedule),
    )
    return hire_create(acting_user=acting_user, data=data, today=today or date(2027, 2, 15))
