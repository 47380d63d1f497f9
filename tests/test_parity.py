"""Every entry point gives the same answer for the same text (issue 8).

`match()` is the reference: a batch row (`matcher batch`, through a real CSV file), a
`score_frame` row and `match()` on the same cell must agree on every fit, the best role, the
order of the missing skills, the years gate and the unrecognised items. Cells are generated
from every separator and annotation the parser knows, and every row of the bundled sample
exports is checked as well.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from matcher.years import years_value

ROOT = Path(__file__).resolve().parent.parent

SKILLS = ["Kaltakquise", "SAP", "Verhandlungsgeschick", "Key Account Management", "KAM", "Salesforce", "CRM",
          "Marktanalysen", "market analysis", "Beschwerdemanagment", "Englisch", "English", "Deutsch", "Excel",
          "MS Office", "Projektmanagement", "Teamleitung", "Reporting", "Krankenpflege", "Schweißen", "Python",
          "Führerschein B", "Kommunikationsstärke", "Angebote erstellen", "Datenpflege im CRM", "Kundenbetreuung",
          "Vertragsverhandlungen und Preisverhandlungen", "Webinare abhalten", "customer support", "Onboarding"]
ANNOTATIONS = ["", " (3 Jahre)", " – sehr gut", ": C1", " C2", " (advanced)", " - 4 Jahre", " fließend", " 50%",
               " (B2)", " Grundkenntnisse"]
EXTRAS = ["6 Jahre Berufserfahrung", "Bachelor BWL", "kaufmännische Lehre", "Matura", "3 years of experience",
          "12", "2019", "x", "???"]
SEPARATORS = ["; ", ", ", " | ", " • ", " · ", " ▪ ", " ● ", "\n", "\t", "\u2028", "\r\n", "\r", "\n• ", "\n- "]
HEADINGS = ["", "Kenntnisse: ", "Skills:\n", "IT: ", "Sprachen: "]
YEARS = ["", "0", "2", "5", "7,5", "12 Jahre", "3 years"]


@st.composite
def cells(draw) -> str:
    words = draw(st.lists(st.tuples(st.sampled_from(SKILLS + EXTRAS), st.sampled_from(ANNOTATIONS)),
                          min_size=1, max_size=8))
    sep = draw(st.sampled_from(SEPARATORS))
    return draw(st.sampled_from(HEADINGS)) + sep.join(w + a for w, a in words)


def expected(matcher, cell: str, years_text: str) -> dict:
    """What `match()` says about one cell, in the batch output's terms."""
    report = matcher.report(cell, years=years_value(years_text))
    best = report.results[0]
    return {
        "best_role": best.role.id,
        "best_band": best.band,
        "best_core": best.to_dict()["core"],
        "fits": {r.role.id: r.to_dict()["fit"] for r in report.results},
        "top_missing": "; ".join(m.competency.label("de") for m in best.missing[:3]),
        "years_gate": next((g.status for g in best.gates if g.name == "years"), ""),
        "unrecognised": "; ".join(i.raw.strip() for i in report.unrecognised),
        "words": bool(re.search(r"[^\W_]", cell)),
    }


def number(cell: str) -> float:
    """A number as written in any of the outputs (a `;` CSV uses a decimal comma)."""
    return float(str(cell).replace(",", "."))


def assert_row_agrees(row: pd.Series, want: dict, roles: list[str]) -> None:
    if not want["words"]:  # no letter or digit at all: batch reports the row, match() scores nothing
        assert (row["status"], row["reason"]) == ("error", "empty skills")
        assert not any(want["fits"].values())
        return
    assert row["status"] == "ok", row["reason"]
    assert row["best_role"] == want["best_role"]
    assert row["best_band"] == want["best_band"] and number(row["best_core"]) == want["best_core"]
    for rid in roles:
        assert number(row[f"fit_{rid}"]) == want["fits"][rid], rid  # the same number, to the printed digit
    assert str(row["top_missing"]) == want["top_missing"]
    assert str(row["years_gate"]) == want["years_gate"]
    assert str(row["unrecognised"]) == want["unrecognised"]


def batch_rows(matcher, tmp_path: Path, rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    src, out = tmp_path / "in.csv", tmp_path / "out.csv"
    with src.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "skills", "years"])
        w.writerows(rows)
    matcher.score_file(src, out)
    return pd.read_csv(out, sep=None, engine="python", encoding="utf-8-sig", dtype=str, keep_default_na=False)


@given(st.lists(st.tuples(cells(), st.sampled_from(YEARS)), min_size=1, max_size=6))
def test_batch_score_frame_and_match_agree(matcher, tmp_path_factory, rows):
    tmp = tmp_path_factory.mktemp("parity")
    table = [(f"E{i}", cell, years) for i, (cell, years) in enumerate(rows)]
    from_file = batch_rows(matcher, tmp, table)
    from_frame = matcher.score_frame(pd.DataFrame(table, columns=["id", "skills", "years"]))
    roles = matcher.roles
    assert len(from_file) == len(from_frame) == len(table)
    for i, (_, cell, years) in enumerate(table):
        want = expected(matcher, cell, years)
        assert_row_agrees(from_file.iloc[i], want, roles)
        assert_row_agrees(from_frame.iloc[i].astype(str).replace("nan", ""), want, roles)


@pytest.mark.parametrize("name", ["employees.csv", "employees_de.csv"])
def test_every_row_of_the_bundled_exports_agrees_with_match(matcher, tmp_path, name):
    out = tmp_path / "out.csv"
    matcher.score_file(ROOT / "examples" / name, out)
    scored = pd.read_csv(out, sep=None, engine="python", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    source = pd.read_csv(ROOT / "examples" / name, dtype=str, keep_default_na=False, sep=None, engine="python",
                         encoding="utf-8" if name == "employees.csv" else "cp1252")
    assert len(scored) == len(source)
    checked = 0
    for (_, row), (_, src) in zip(scored.iterrows(), source.iterrows()):
        if row["status"] != "ok":
            continue
        skills, years = src.iloc[-2], src.iloc[-1]  # the skills and years columns close both exports
        assert_row_agrees(row, expected(matcher, skills, years), matcher.roles)
        checked += 1
    assert checked >= 190


def test_separators_that_batch_used_to_miss(matcher, tmp_path):
    """The cases issue 8 reported: `·`, `▪`, tabs, U+2028, years in the cell, `Kenntnisse: ...`."""
    cells = ["SAP · Kaltakquise · Verhandlungsgeschick", "SAP ▪ Kaltakquise", "SAP\tKaltakquise",
             "SAP\u2028Kaltakquise", "Kaltakquise, 6 Jahre Berufserfahrung", "Kenntnisse: SAP, CRM, Marktanalysen"]
    scored = batch_rows(matcher, tmp_path, [(f"E{i}", c, "") for i, c in enumerate(cells)])
    for i, cell in enumerate(cells):
        assert_row_agrees(scored.iloc[i], expected(matcher, cell, ""), matcher.roles)
    assert float(scored.iloc[0]["best_fit"]) > 0
    assert scored.iloc[4]["years"] == "6"
