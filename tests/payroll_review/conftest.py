import pytest

from tests.factories import EmployeeFactory
from tests.factories.payroll_review import run_with_payslips, slip_lines
from tests.factories.payroll_runs import paid_employee


@pytest.fixture
def uk_staff(uk_schedule):
    """Two salaried UK employees with tax details and bank accounts (calculated for real)."""
    return [paid_employee(uk_schedule), paid_employee(uk_schedule, salary="60000.00")]


@pytest.fixture
def people(db):
    """Alice (unchanged), Bob (a rise), Carol (leaves), Dan (joins), Erin (pay drops)."""
    names = ("Alice", "Bob", "Carol", "Dan", "Erin")
    return {name: EmployeeFactory(legal_first_name=name, legal_last_name=f"{name}son")
            for name in names}


@pytest.fixture
def two_runs(uk_schedule, people, payroll_admin):
    """Period 1 (finalised) and period 2 (calculated). Every figure in the tests is summed by
    hand from these lines (gross, PAYE, employee NI, employer NI, pension, employer pension, loan):

    period 1: Alice 3000 / 400 / 200 / 300 / pension 150 / er pension 90   net 2250, cost 3390
              Bob   2000 / 200 / 100 / 150                                net 1700, cost 2150
              Carol 1500 / 100 /  50 /  80 / loan 25                      net 1325, cost 1580
              Erin  1800 / 150 /  80 / 120                                net 1570, cost 1920
    period 2: Alice as before                                             net 2250, cost 3390
              Bob   2500 / 300 / 150 / 220                                net 2050, cost 2720
              Dan   1000 /  20 /  10 /  15 / loan 5                       net  965, cost 1015
              Erin  1200 /  60 /  40 /  60                                net 1100, cost 1260
    """
    alice = slip_lines(earning="3000.00", paye="400.00", ni="200.00", ni_er="300.00",
                       pension="150.00", pension_er="90.00")
    previous = run_with_payslips(uk_schedule, 1, {
        people["Alice"]: alice,
        people["Bob"]: slip_lines(earning="2000.00", paye="200.00", ni="100.00",
                                  ni_er="150.00"),
        people["Carol"]: slip_lines(earning="1500.00", paye="100.00", ni="50.00", ni_er="80.00",
                                    loan="25.00"),
        people["Erin"]: slip_lines(earning="1800.00", paye="150.00", ni="80.00", ni_er="120.00"),
    })
    current = run_with_payslips(uk_schedule, 2, {
        people["Alice"]: alice,
        people["Bob"]: slip_lines(earning="2500.00", paye="300.00", ni="150.00", ni_er="220.00"),
        people["Dan"]: slip_lines(earning="1000.00", paye="20.00", ni="10.00", ni_er="15.00",
                                  loan="5.00"),
        people["Erin"]: slip_lines(earning="1200.00", paye="60.00", ni="40.00", ni_er="60.00"),
    }, status="calculated", calculated_by=payroll_admin)
    return previous, current
