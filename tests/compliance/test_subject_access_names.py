"""The subject-access export names what its rows point at; raw ids mean nothing to a person."""

import json

import pytest

pytestmark = pytest.mark.django_db


def test_subject_access_json_shows_names_not_ids(org, subject_access_zip):
    # given an employee with a manager, a department and a job history
    employee = org.report
    # when their subject-access export is made
    data = json.loads(subject_access_zip(employee)["data.json"])
    # then related things are named, never numbered
    record = data["employee"]
    assert record["manager"] == str(org.manager)
    assert org.manager.display_name in record["manager"]
    assert record["department"] == str(employee.department)
    assert record["job_title"] == str(employee.job_title)
    assert record["user"] == str(employee.user)
    job = data["jobs"][0]
    assert not isinstance(job["department"], int) and job["department"] == str(employee.department)
    assert job["manager"] == str(org.manager)
    assert "employee" not in job and "employee" not in data["employments"][0]
    for row in data["jobs"] + data["pay_records"] + data["employments"]:
        assert not any(isinstance(v, int) and not isinstance(v, bool) and k != "id"
                       and k not in {"version"} for k, v in row.items()), row
