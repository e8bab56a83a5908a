"""Demo company: ~200 people in nine departments, five locations, a manager hierarchy, job and
pay history with a few future-dated changes. Deterministic (seeded) and idempotent."""

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.demo import DemoContext
from employees.models import (
    ChangeReason,
    Department,
    Employee,
    Employment,
    JobTitle,
    Location,
)
from employees.services.core import (
    JobData,
    PayData,
    compensation_record_add,
    employee_create,
    job_record_add,
)
from payroll.models import PaySchedule

TARGET_HEADCOUNT = 200

DEPARTMENTS = [
    ("EXEC", "Executive"), ("ENG", "Engineering"), ("SALES", "Sales"), ("MKT", "Marketing"),
    ("FIN", "Finance"), ("PEOPLE", "People"), ("OPS", "Operations"),
    ("CS", "Customer Success"), ("IT", "IT"),
]
LOCATIONS = [
    ("London", "London", "GB", "Europe/London"),
    ("Manchester", "Manchester", "GB", "Europe/London"),
    ("Edinburgh", "Edinburgh", "GB", "Europe/London"),
    ("New York", "New York", "US", "America/New_York"),
    ("Austin", "Austin", "US", "America/Chicago"),
]
TITLES = {
    "EXEC": ["Chief Executive Officer"],
    "ENG": ["Software Engineer", "Senior Software Engineer", "Engineering Manager", "QA Analyst"],
    "SALES": ["Account Executive", "Sales Development Rep", "Sales Manager"],
    "MKT": ["Marketing Specialist", "Content Writer", "Marketing Manager"],
    "FIN": ["Accountant", "Financial Analyst", "Finance Manager"],
    "PEOPLE": ["HR Specialist", "HR Operations Manager", "Payroll Specialist", "Recruiter"],
    "OPS": ["Operations Associate", "Warehouse Operative", "Operations Manager"],
    "CS": ["Support Specialist", "Customer Success Manager", "Support Team Lead"],
    "IT": ["IT Support Engineer", "Systems Administrator", "IT Manager"],
}
HEAD_TITLES = {
    "ENG": "VP Engineering", "SALES": "VP Sales", "MKT": "Head of Marketing",
    "FIN": "Chief Financial Officer", "PEOPLE": "Head of People", "OPS": "Head of Operations",
    "CS": "Head of Customer Success", "IT": "Head of IT",
}
FIRST = ["Olivia", "Noah", "Amelia", "Liam", "Isla", "Jacob", "Ava", "Mason", "Mia", "Lucas",
         "Sophia", "Ethan", "Grace", "Arjun", "Chloe", "Mohammed", "Zara", "Daniel", "Freya",
         "Kwame", "Lily", "Hiroshi", "Emily", "Mateo", "Aisha", "Jack", "Sofia", "Ravi",
         "Hannah", "Leo", "Ines", "Tom", "Nadia", "Callum", "Priya", "Owen", "Elena", "Sam"]
LAST = ["Smith", "Johnson", "Williams", "Brown", "Taylor", "Davies", "Evans", "Wilson",
        "Thomas", "Roberts", "Khan", "Patel", "Walker", "Wright", "Robinson", "Thompson",
        "White", "Hughes", "Edwards", "Green", "Hall", "Wood", "Harris", "Martin", "Garcia",
        "Nguyen", "Okafor", "Kowalski", "Murphy", "Campbell", "Stewart", "Anderson", "Clarke"]
SALARY_BANDS = {  # GBP; US staff are paid the same number in USD x 1.3
    "Chief Executive Officer": 185000, "VP": 140000, "Head": 110000, "Chief": 150000,
    "Manager": 72000, "Senior": 68000, "Lead": 52000,
}
DEMO_SLOTS = {  # employee number -> demo login, department, title: the login's own record
    11: ("manager@demo.hrops.test", "ENG", "Engineering Manager"),
    12: ("hr.admin@demo.hrops.test", "PEOPLE", "HR Operations Manager"),
    13: ("payroll.approver@demo.hrops.test", "FIN", "Finance Manager"),
    21: ("hr.staff@demo.hrops.test", "PEOPLE", "HR Specialist"),
    22: ("payroll.admin@demo.hrops.test", "PEOPLE", "Payroll Specialist"),
    30: ("employee@demo.hrops.test", "ENG", "Software Engineer"),
}

DEMO_PAYROLL_LOCATIONS = {13: "New York", 22: "London"}  # payroll.approver, payroll.admin


def _salary_for(title: str, rng) -> Decimal:
    base = 38000
    for key, amount in SALARY_BANDS.items():
        if key in title:
            base = amount
            break
    return Decimal(base + rng.randrange(0, 9000, 500))


def _reference_data() -> dict[str, object]:
    departments = {
        code: Department.objects.get_or_create(code=code, defaults={"name": name})[0]
        for code, name in DEPARTMENTS
    }
    locations = {
        name: Location.objects.get_or_create(
            name=name, defaults={"city": city, "country": country, "timezone": tz})[0]
        for name, city, country, tz in LOCATIONS
    }
    titles = {
        name: JobTitle.objects.get_or_create(name=name, defaults={"job_family": code})[0]
        for code, names in TITLES.items() for name in names
    } | {
        name: JobTitle.objects.get_or_create(name=name, defaults={"job_family": code})[0]
        for code, name in HEAD_TITLES.items()
    }
    anchor = date(2026, 1, 5)
    schedules = {
        "GB": PaySchedule.objects.get_or_create(
            name="UK monthly", defaults={"frequency": "monthly", "country": "GB",
                                         "currency": "GBP",
                                         "first_period_start": date(2026, 4, 6)})[0],
        "US": PaySchedule.objects.get_or_create(
            name="US biweekly", defaults={"frequency": "biweekly", "country": "US",
                                          "currency": "USD", "first_period_start": anchor,
                                          "pay_date_offset_days": 5})[0],
    }
    return {"departments": departments, "locations": locations, "titles": titles,
            "schedules": schedules}


def _plan(ctx: DemoContext, ref: dict) -> list[dict]:
    """The whole company as plain dicts, decided up front so the result never depends on what
    already exists (which is what makes a second run a no-op)."""
    rng = ctx.rng
    today = timezone.localdate()
    people: list[dict] = []
    dept_codes = [code for code, _ in DEPARTMENTS if code != "EXEC"]
    for n in range(1, TARGET_HEADCOUNT + 1):
        if n == 1:
            dept, title, manager_no = "EXEC", "Chief Executive Officer", None
        elif n <= 1 + len(dept_codes):
            dept = dept_codes[n - 2]
            title, manager_no = HEAD_TITLES[dept], "E0001"
        else:
            dept = dept_codes[(n - 2) % len(dept_codes)]
            title = rng.choice(TITLES[dept])
            if n in DEMO_SLOTS:
                _, dept, title = DEMO_SLOTS[n]
            head = f"E{2 + dept_codes.index(dept):04d}"
            # Team members report to an earlier manager in their department when there is one.
            peers = [p for p in people if p["dept"] == dept and "Manager" in p["title"]]
            manager_no = rng.choice(peers)["number"] if peers and "Manager" not in title else head
        loc_name = rng.choice(["London", "London", "Manchester", "Edinburgh", "New York", "Austin"])
        # The two demo Payroll Admins are paid on different schedules, so each can approve the
        # runs the other calculates without approving their own pay (segregation of duties).
        loc_name = DEMO_PAYROLL_LOCATIONS.get(n, loc_name)
        country = ref["locations"][loc_name].country
        hired = today - timedelta(days=rng.randrange(60, 8 * 365))
        person = {
            "number": f"E{n:04d}", "dept": dept, "title": title, "manager": manager_no,
            "first": rng.choice(FIRST), "last": rng.choice(LAST), "location": loc_name,
            "country": country, "hired": hired, "salary": _salary_for(title, rng),
            "hourly": title in {"Warehouse Operative", "Support Specialist"} and n % 2 == 0,
            "dob": date(1965 + rng.randrange(0, 38), rng.randrange(1, 13), rng.randrange(1, 28)),
            "status": Employee.Status.ACTIVE, "email": None,
            "raise_on": hired + timedelta(days=365) if (today - hired).days > 400 else None,
            "promote": (today - hired).days > 900 and n % 5 == 0,
            "future_raise": n % 23 == 0,
        }
        if n % 37 == 0:
            person["status"] = Employee.Status.ON_LEAVE
        if n in DEMO_SLOTS:
            email = DEMO_SLOTS[n][0]
            person["email"] = email
            person["first"], person["last"] = ctx.users[email].full_name.split(" ", 1)
            person["status"] = Employee.Status.ACTIVE
        if n > TARGET_HEADCOUNT - 4:  # four people starting soon
            person["status"] = Employee.Status.PRE_HIRE
            person["hired"] = today + timedelta(days=7 * (TARGET_HEADCOUNT - n + 1))
            person["raise_on"] = person["promote"] = person["future_raise"] = None
        people.append(person)
    return people


def _create_person(ctx: DemoContext, ref: dict, p: dict, by_number: dict) -> Employee:
    country = p["country"]
    currency = "GBP" if country == "GB" else "USD"
    salary = p["salary"] if country == "GB" else (p["salary"] * Decimal("1.3")).quantize(Decimal(1))
    hourly_rate = (salary / Decimal(2080)).quantize(Decimal("0.01"))
    pay = PayData(basis="hourly", currency=currency, hourly_rate=hourly_rate,
                  pay_schedule=ref["schedules"][country]) if p["hourly"] else PayData(
        basis="salary", currency=currency, annual_salary=salary,
        pay_schedule=ref["schedules"][country])
    job = JobData(job_title=ref["titles"][p["title"]], department=ref["departments"][p["dept"]],
                  location=ref["locations"][p["location"]],
                  manager=by_number.get(p["manager"]))
    email_local = f"{p['first']}.{p['last']}.{p['number']}".lower()
    employee = employee_create(
        acting_user=None, employee_number=p["number"], legal_first_name=p["first"],
        legal_last_name=p["last"], hire_date=p["hired"], work_country=country,
        job=job, pay=pay, status=p["status"], date_of_birth=p["dob"],
        work_email=p["email"] or f"{email_local}@demo.hrops.test",
        personal_email=f"{email_local}@example.com", city=p["location"], country=country,
        user=ctx.users.get(p["email"]) if p["email"] else None,
    )
    if p["raise_on"]:
        compensation_record_add(
            acting_user=None, employee=employee, effective_date=p["raise_on"],
            pay=_raised(pay, Decimal("1.04")), reason=ChangeReason.MERIT_INCREASE)
        pay = _raised(pay, Decimal("1.04"))
    if p["promote"]:
        senior = ref["titles"].get(f"Senior {p['title']}") or job.job_title
        job_record_add(acting_user=None, employee=employee,
                       effective_date=p["hired"] + timedelta(days=800),
                       job=JobData(job_title=senior, department=job.department,
                                   location=job.location, manager=job.manager),
                       reason=ChangeReason.PROMOTION)
    if p["future_raise"]:
        compensation_record_add(
            acting_user=None, employee=employee,
            effective_date=timezone.localdate() + timedelta(days=30),
            pay=_raised(pay, Decimal("1.03")), reason=ChangeReason.MARKET_ADJUSTMENT,
            note="Approved in the annual review; effective next month.")
    return employee


def _raised(pay: PayData, factor: Decimal) -> PayData:
    if pay.basis == "salary":
        return PayData(basis="salary", currency=pay.currency, pay_schedule=pay.pay_schedule,
                       annual_salary=(pay.annual_salary * factor).quantize(Decimal(1)))
    return PayData(basis="hourly", currency=pay.currency, pay_schedule=pay.pay_schedule,
                   hourly_rate=(pay.hourly_rate * factor).quantize(Decimal("0.01")))


# Two people who left years ago, so the retention dry run (compliance) has someone to show:
# both are past the employee-record rule; compliance's demo puts a legal hold on the second.
OLD_LEAVERS = [
    ("E9001", "Morgan", "Oldfield", date(2011, 5, 2), date(2017, 6, 30)),
    ("E9002", "Riley", "Hart", date(2013, 9, 9), date(2019, 2, 28)),
]


def _old_leavers(by_number: dict) -> None:
    for number, first, last, hired, left in OLD_LEAVERS:
        if number in by_number:
            continue  # seeded before (and maybe anonymised since): leave it alone
        person = Employee.objects.create(
            employee_number=number, legal_first_name=first, legal_last_name=last,
            work_email=f"{first.lower()}.{last.lower()}@former.demo.hrops.test",
            work_country="US", hire_date=hired, termination_date=left,
            status=Employee.Status.TERMINATED)
        Employment.objects.create(employee=person, start_date=hired, end_date=left,
                                  termination_reason=Employment.TerminationReason.RESIGNATION)


def seed(ctx: DemoContext) -> None:
    ref = _reference_data()
    by_number = {e.employee_number: e for e in Employee.objects.all()}
    for p in _plan(ctx, ref):
        if p["number"] not in by_number:
            by_number[p["number"]] = _create_person(ctx, ref, p, by_number)
    _old_leavers(by_number)
