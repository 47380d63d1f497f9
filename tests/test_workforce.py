"""Workforce outputs an HR analyst can open and act on (issue 14): Excel-ready CSV and XLSX, the
input's columns kept, groups, the HTML report (rendered in Chromium, offline), unrecognised skills."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from conftest import run
from matcher.cli import main

ROOT = Path(__file__).resolve().parent.parent
EXPORT = ROOT / "examples" / "employees_de.csv"  # ';', cp1252, with Name, Abteilung, Standort
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"



@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("workforce")
    argv = ["batch", EXPORT, "-o", tmp / "scores.xlsx", "--summary", tmp / "needs.json", "--group-by", "Abteilung",
            "--report", tmp / "report.html", "--unrecognised", tmp / "unread.csv"]
    assert main([str(a) for a in argv]) == 0
    assert main([str(a) for a in ["batch", EXPORT, "-o", tmp / "scores.csv"]]) == 0
    return tmp


def test_csv_opens_in_german_excel(outputs):
    raw = (outputs / "scores.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: Excel reads the umlauts right
    df = pd.read_csv(outputs / "scores.csv", sep=";", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert list(df.columns[:6]) == ["row", "Personalnummer", "Name", "Abteilung", "Standort", "Kompetenzen"]
    assert "Vertrieb Außendienst" in set(df["Abteilung"]) and df["Name"].str.contains("ü").any()
    assert len(df) == 200 and "best_fit" in df


def test_xlsx_is_ready_to_use(outputs):
    wb = load_workbook(outputs / "scores.xlsx")
    assert {"scores", "fit_by_role", "top_missing", "course_demand", "groups", "unrecognised",
            "workforce_plan"} <= set(wb.sheetnames)
    ws = wb["scores"]
    headers = [c.value for c in ws[1]]
    assert "Passung: Key-Account-ManagerIn" in headers and "Abteilung" in headers and "Bester Beruf" in headers
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref.startswith("A1:")
    col = headers.index("Passung: Key-Account-ManagerIn") + 1
    cell = ws.cell(row=2, column=col)
    assert cell.number_format == "0.0%" and 0 <= cell.value <= 1
    assert len(ws.conditional_formatting) >= 6  # a colour scale on every fit column
    assert ws.column_dimensions["C"].width and ws.column_dimensions["C"].width >= 8
    groups = [[c.value for c in row] for row in wb["groups"].iter_rows()]
    assert groups[0][:3] == ["Abteilung", "role", "employees"] and len(groups) == 1 + 5 * 6


def test_summary_groups_and_unrecognised(outputs):
    s = json.loads((outputs / "needs.json").read_text(encoding="utf-8"))
    assert s["schema_version"] == 3 and s["group_by"] == "Abteilung" and len(s["groups"]) == 5
    kam = s["groups"]["Key Account"]["roles"]["key-account-manager"]
    assert set(kam["bands"]) == {"ready", "close", "far"} and kam["top_missing"] and "course_demand" in s["groups"]["Key Account"]
    assert sum(g["employees"] for g in s["groups"].values()) == s["scored"]
    plan = {p["role"]: p for p in s["workforce_plan"]}
    am = plan["account-manager"]
    after = [am["mean_fit_before"]] + [x["mean_fit_after"] for x in am["steps"]]
    assert am["steps"] and after == sorted(after) and after[-1] < 100  # each course adds, none makes everyone ready
    assert all(0 < x["employees_helped"] <= am["employees"] for x in am["steps"])
    unread = pd.read_csv(outputs / "unread.csv", sep=";", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert list(unread.columns) == ["text", "count", "closest_id", "closest_label"]
    assert "Führerschein B" in set(unread["text"]) and unread["count"].astype(int).is_monotonic_decreasing


def test_report_is_self_contained_and_renders_offline(outputs):
    text = (outputs / "report.html").read_text(encoding="utf-8")
    assert len(text) < 5_000_000 and text.count("<svg") >= 4
    assert not re.search(r"(?:https?:)?//[\w.-]+\.\w", text), "the report must not refer to anything outside it"
    for part in ("Verteilung der Passung", "Bereitschaft je Beruf", "Häufigste Lücken", "Lücken je Gruppe",
                 "Kursbedarf", "Weiterbildungsplan", "Nicht erkannte Kenntnisse", "Datenqualität"):
        assert part in text, part
    from test_web import FLAGS, chromium
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium(), args=FLAGS)
        page = browser.new_page(viewport={"width": 1100, "height": 900})
        fetched: list[str] = []
        page.on("request", lambda r: fetched.append(r.url))
        page.goto((outputs / "report.html").as_uri())
        assert page.locator("svg").count() >= 4 and page.locator("h2").count() >= 7
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "report.png"), full_page=True)
        browser.close()
    assert all(u.startswith("file:") for u in fetched), fetched


def test_columns_to_keep(capsys, tmp_path):
    code, _, _ = run(capsys, "batch", EXPORT, "-o", tmp_path / "a.csv", "--keep-cols", "Name,Standort")
    df = pd.read_csv(tmp_path / "a.csv", sep=";", encoding="utf-8-sig", dtype=str)
    assert code == 0 and list(df.columns[:3]) == ["row", "Name", "Standort"] and "Abteilung" not in df
    code, _, _ = run(capsys, "batch", EXPORT, "-o", tmp_path / "b.csv", "--drop-input-cols")
    df = pd.read_csv(tmp_path / "b.csv", sep=";", encoding="utf-8-sig", dtype=str)
    assert code == 0 and list(df.columns[:3]) == ["row", "id", "status"]


@pytest.mark.parametrize("argv, words", [
    (["--keep-cols", "Gehalt"], "no column 'Gehalt'"),
    (["--group-by", "Kostenstelle"], "no column 'Kostenstelle'"),
    (["--summary", "needs.xml"], "unknown summary format"),
    (["--report", "report.pdf"], "the report is HTML"),
    (["--unrecognised", "u.xlsx"], "the list is CSV"),
    (["--keep-cols", "Name", "--drop-input-cols"], "contradict"),
])
def test_bad_options_are_usage_errors(capsys, tmp_path, argv, words):
    argv = [str(tmp_path / a) if a.endswith((".xml", ".pdf", ".xlsx")) else a for a in argv]
    code, _, err = run(capsys, "batch", EXPORT, "-o", tmp_path / "o.csv", *argv)
    assert code == 2 and words in err and "fix:" in err
    assert not (tmp_path / "o.csv").exists()


def test_review_fixes(capsys, tmp_path, matcher):
    """Found by a new user: a shortlist workbook with an error row, --long-input with groups, lines
    that begin like a heading, and a long CV over HTTP."""
    advert = ROOT / "examples" / "advert_de.txt"
    code, _, err = run(capsys, "batch", EXPORT, "-o", tmp_path / "s.xlsx", "--vacancy", advert)
    assert code == 0 and "Traceback" not in err and load_workbook(tmp_path / "s.xlsx")["scores"].max_row == 201
    code, _, err = run(capsys, "batch", ROOT / "examples" / "employees_long.csv", "--long-input", "-o",
                       tmp_path / "l.csv", "--group-by", "skill")
    assert code == 2 and "one row per skill" in err
    items = matcher.resolve("- Experience in cold calling\n- Berufserfahrung im Vertrieb\n- SAP")
    assert [r.raw.strip() for r in items] == ["Experience in cold calling", "Berufserfahrung im Vertrieb", "SAP"]
    assert items[0].competency.id == "neukundenakquisition"  # read, never dropped as a heading
    from fastapi.testclient import TestClient

    from matcher.server import create_app

    with TestClient(create_app(matcher=matcher)) as c:
        long_cv = "Kaltakquise, SAP\n" + "Erfahrung im Vertrieb von Industriegütern.\n" * 200
        assert len(long_cv) > 5000 and c.post("/api/match", json={"skills": long_cv}).status_code == 200


def test_numbers_in_a_semicolon_csv_use_a_decimal_comma(outputs):
    df = pd.read_csv(outputs / "scores.csv", sep=";", encoding="utf-8-sig", dtype=str, keep_default_na=False,
                     decimal=",")
    fits = df.loc[df["status"] == "ok", "best_fit"]
    assert fits.str.contains(",").any() and not fits.str.contains(r"\.").any()
    as_excel = pd.read_csv(outputs / "scores.csv", sep=";", encoding="utf-8-sig", decimal=",")
    assert as_excel["best_fit"].dtype.kind == "f" and as_excel["best_fit"].max() <= 100  # numbers, not text or dates


def test_a_small_team_is_drawn_person_by_person(capsys, tmp_path):
    small = tmp_path / "team.csv"
    small.write_text("\n".join((ROOT / "examples" / "employees.csv").read_text(encoding="utf-8").splitlines()[:31]),
                     encoding="utf-8")
    code, _, _ = run(capsys, "batch", small, "-o", tmp_path / "o.csv", "--report", tmp_path / "r.html", "--lang", "en")
    text = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert code == 0 and "Fit per employee and role" in text and "E100000" in text
    code, _, _ = run(capsys, "batch", EXPORT, "-o", tmp_path / "big.csv", "--report", tmp_path / "big.html")
    assert code == 0 and "Passung je Beschäftigte" not in (tmp_path / "big.html").read_text(encoding="utf-8")
