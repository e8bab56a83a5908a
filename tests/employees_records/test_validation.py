import pytest
from django.core.exceptions import ValidationError

from employees import validation


@pytest.mark.parametrize("value", ["536-90-4399", "536904399"])
def test_valid_ssn(value):
    assert validation.validate_national_id("US", value) == "536904399"


@pytest.mark.parametrize("value", ["000-12-3456", "666-12-3456", "123-45", "abc-de-fghi"])
def test_invalid_ssn(value):
    with pytest.raises(ValidationError, match="Social Security"):
        validation.validate_national_id("US", value)


@pytest.mark.parametrize("value", ["AB 12 34 56 C", "ab123456d"])
def test_valid_nino(value):
    assert validation.validate_national_id("GB", value) in {"AB123456C", "AB123456D"}


@pytest.mark.parametrize(
    "value", ["AB123456E", "QQ123456C", "DA123456A", "GB123456A", "AB12345C", "A1234567C"]
)
def test_invalid_nino(value):
    with pytest.raises(ValidationError, match="National Insurance"):
        validation.validate_national_id("GB", value)


def test_iban_bic_and_routing():
    assert validation.validate_iban("GB82 WEST 1234 5698 7654 32") == "GB82WEST12345698765432"
    with pytest.raises(ValidationError, match="IBAN"):
        validation.validate_iban("GB83 WEST 1234 5698 7654 32")
    assert validation.validate_bic("NWBKGB2L") == "NWBKGB2L"
    with pytest.raises(ValidationError, match="BIC"):
        validation.validate_bic("NOPE")
    assert validation.validate_routing_number("111000025") == "111000025"
    with pytest.raises(ValidationError, match="routing"):
        validation.validate_routing_number("111000026")
    assert validation.validate_sort_code("20-00-00") == "200000"
    with pytest.raises(ValidationError, match="sort code"):
        validation.validate_sort_code("20-00")
