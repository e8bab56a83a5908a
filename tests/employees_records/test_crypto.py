import pytest
from cryptography.fernet import Fernet
from django.core.checks import run_checks
from django.core.management import call_command
from django.db import connection

from employees import crypto
from employees.models import Employee
from tests.factories.employees import EmployeeFactory

KEY_A = Fernet.generate_key().decode()
KEY_B = Fernet.generate_key().decode()


def _raw(employee_id: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT national_id FROM employees_employee WHERE id = %s", [employee_id])
        return cursor.fetchone()[0]


def test_round_trip_and_token_differs_each_time(settings):
    settings.FIELD_ENCRYPTION_KEYS = [KEY_A]
    token1, token2 = crypto.encrypt("QQ123456C"), crypto.encrypt("QQ123456C")
    assert token1 != token2
    assert crypto.decrypt(token1) == "QQ123456C"


def test_without_keys_a_key_is_derived_from_secret_key(settings):
    settings.FIELD_ENCRYPTION_KEYS = []
    assert crypto.decrypt(crypto.encrypt("536904399")) == "536904399"


def test_old_key_still_decrypts_and_new_writes_use_newest(settings):
    settings.FIELD_ENCRYPTION_KEYS = [KEY_A]
    old = crypto.encrypt("secret")
    settings.FIELD_ENCRYPTION_KEYS = [KEY_B, KEY_A]
    assert crypto.decrypt(old) == "secret"
    new = crypto.encrypt("secret")
    assert Fernet(KEY_B.encode()).decrypt(new.encode()) == b"secret"


def test_unknown_key_raises_clear_error(settings):
    settings.FIELD_ENCRYPTION_KEYS = [KEY_A]
    token = crypto.encrypt("secret")
    settings.FIELD_ENCRYPTION_KEYS = [KEY_B]
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(token)


@pytest.mark.django_db
def test_field_is_stored_encrypted_and_not_searchable(settings):
    settings.FIELD_ENCRYPTION_KEYS = [KEY_A]
    employee = EmployeeFactory(national_id="QQ123456C", national_id_last4="456C")
    raw = _raw(employee.pk)
    assert "QQ123456C" not in raw
    assert Employee.objects.get(pk=employee.pk).national_id == "QQ123456C"
    with pytest.raises(Exception):  # noqa: B017 - FieldError for an unsupported lookup
        list(Employee.objects.filter(national_id="QQ123456C"))


@pytest.mark.django_db
def test_rotate_command_reencrypts_with_newest_key(settings):
    # given values written under key A
    settings.FIELD_ENCRYPTION_KEYS = [KEY_A]
    employee = EmployeeFactory(national_id="QQ123456C", national_id_last4="456C")
    blank = EmployeeFactory()
    before = _raw(employee.pk)
    # when key B is put first and the command runs
    settings.FIELD_ENCRYPTION_KEYS = [KEY_B, KEY_A]
    call_command("rotate_field_encryption", stdout=open("/dev/null", "w"))  # noqa: SIM115
    # then the token changed and decrypts with key B alone
    after = _raw(employee.pk)
    assert after != before
    settings.FIELD_ENCRYPTION_KEYS = [KEY_B]
    assert Employee.objects.get(pk=employee.pk).national_id == "QQ123456C"
    assert Employee.objects.get(pk=blank.pk).national_id == ""


# db: the model checks probe SQLite's JSON support through a cursor when nothing did before
@pytest.mark.django_db
def test_system_check_refuses_production_without_keys(settings):
    settings.DEBUG = False
    settings.FIELD_ENCRYPTION_KEYS = []
    assert "employees.E001" in {e.id for e in run_checks()}
    settings.FIELD_ENCRYPTION_KEYS = [KEY_A]
    assert "employees.E001" not in {e.id for e in run_checks()}
    settings.DEBUG = True
    settings.FIELD_ENCRYPTION_KEYS = []
    assert "employees.E001" not in {e.id for e in run_checks()}
