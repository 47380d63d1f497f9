"""Damaged CSV rows are reported where they stand, never re-aligned, merged or lost (issue 9).

Rule: every input row appears exactly once in the output with its own id, in order, or the run
stops with a clear error before writing anything.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from matcher.errors import InputError

ROOT = Path(__file__).resolve().parent.parent
SKILLS = ["Kaltakquise", "SAP", "Verhandlungsgeschick", "CRM; Excel", "Marktanalysen, Reporting", "Englisch C1"]


def write(path: Path, lines: list[str]) -> Path:
    path.write_text("id,skills,years\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def good_lines(n: int) -> list[tuple[str, str]]:
    out = []
    for i in range(n):
        buf = io.StringIO()
        csv.writer(buf, lineterminator="").writerow([f"E{i:04d}", SKILLS[i % len(SKILLS)], str(i % 9)])
        out.append((f"E{i:04d}", buf.getvalue()))
    return out


DAMAGE = st.sampled_from([",", ",,", '"', ";", ""])


@given(n=st.integers(2, 12), damage=st.lists(st.tuples(st.integers(0, 11), st.integers(0, 40), DAMAGE), max_size=4),
       trailing=st.booleans())
def test_random_damage_never_misaligns_or_loses_a_row(matcher, tmp_path_factory, n, damage, trailing):
    tmp = tmp_path_factory.mktemp("damage")
    rows = good_lines(n)
    lines = [line + ("," if trailing else "") for _, line in rows]
    for row, at, text in damage:
        row %= n
        at = min(at, len(lines[row]))
        lines[row] = lines[row][:at] + text + lines[row][at:] if text else lines[row][:at] + lines[row][at + 1:]
    src, out = write(tmp / "in.csv", lines), tmp / "out.csv"
    try:
        matcher.score_file(src, out)
    except InputError:
        assert not out.exists()  # stopped before writing: nothing half-written
        return
    scored = pd.read_csv(out, sep=None, engine="python", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    ids = [i for i, _ in rows]
    written = [next(csv.reader([line], skipinitialspace=True))[0] for line in lines]  # the id as the line now has it
    assert len(scored) == n  # every row once
    for k, (got, status) in enumerate(zip(scored["id"], scored["status"])):
        if status == "ok":
            assert got == written[k]  # an ok row carries its own id, exactly as written
        assert got in (ids[k], written[k]) or got not in ids  # never another row's id


def test_the_reported_examples(matcher, tmp_path):
    stray = write(tmp_path / "a.csv", ["001,Kaltakquise, SAP,5", "002,Verhandlungsgeschick,3"])
    matcher.score_file(stray, tmp_path / "a.out.csv")
    a = pd.read_csv(tmp_path / "a.out.csv", sep=None, engine="python", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert a["id"].tolist() == ["001", "002"] and a["status"].tolist() == ["error", "ok"]
    assert "4 fields where the header has 3" in a.loc[0, "reason"]

    trailing = write(tmp_path / "b.csv", ["001,Kaltakquise,5,", "002,Verhandlungsgeschick,3,"])
    matcher.score_file(trailing, tmp_path / "b.out.csv")
    b = pd.read_csv(tmp_path / "b.out.csv", sep=None, engine="python", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert b["id"].tolist() == ["001", "002"] and (b["status"] == "ok").all() and b["years"].tolist() == ["5", "3"]

    extra = write(tmp_path / "c.csv", ["001,Kaltakquise,5", "002,SAP,CRM,3", "003,Excel,2"])
    matcher.score_file(extra, tmp_path / "c.out.csv")
    c = pd.read_csv(tmp_path / "c.out.csv", sep=None, engine="python", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert c["row"].tolist() == ["1", "2", "3"] and c["status"].tolist() == ["ok", "error", "ok"]

    unclosed = write(tmp_path / "d.csv", ['001,"Kaltakquise,5', "002,Verhandlungsgeschick,3", "003,SAP,4"])
    with pytest.raises(InputError, match="line 2: broken quoting"):
        matcher.score_file(unclosed, tmp_path / "d.out.csv")
    assert not (tmp_path / "d.out.csv").exists()

    multiline = write(tmp_path / "e.csv", ['001,"Kaltakquise\nSAP",5', "002,Verhandlungsgeschick,3",
                                           '003,"Führerschein B\nHobbys: Fußball, Lesen, Kochen",4'])
    matcher.score_file(multiline, tmp_path / "e.out.csv")
    e = pd.read_csv(tmp_path / "e.out.csv", sep=None, engine="python", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert e["id"].tolist() == ["001", "002", "003"] and (e["status"] == "ok").all()  # commas inside a cell are fine


def test_cr_line_endings_and_late_umlauts(matcher, tmp_path):
    cr = tmp_path / "cr.csv"
    cr.write_bytes(b"id,skills,years\r001,Kaltakquise,5\r002,SAP,3\r")
    matcher.score_file(cr, tmp_path / "cr.out.csv")
    assert pd.read_csv(tmp_path / "cr.out.csv", sep=None, engine="python", encoding="utf-8-sig", dtype=str)["id"].tolist() == ["001", "002"]
    late = tmp_path / "late.csv"  # the first umlaut after 64 KB of ASCII, in cp1252
    body = "".join(f"E{i:05d},SAP,3\n" for i in range(8000)) + "E99999,Kommunikationsst\xe4rke,2\n"
    late.write_bytes(("id,skills,years\n" + body).encode("cp1252"))
    matcher.score_file(late, tmp_path / "late.out.csv")
    out = pd.read_csv(tmp_path / "late.out.csv", sep=None, engine="python", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert (out["status"] == "ok").all() and out["unrecognised"].iloc[-1] == ""  # the umlaut read right


def test_years_cells_are_numbers_or_errors(matcher, tmp_path):
    cells = ["5", "5,5", "5 Jahre", "", "-5", "10 Monate", "6 months", "2019", "1e309"]
    src = write(tmp_path / "y.csv", [f'E{i},SAP,"{y}"' for i, y in enumerate(cells)])
    matcher.score_file(src, tmp_path / "y.out.csv")
    out = pd.read_csv(tmp_path / "y.out.csv", sep=None, engine="python", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert out["status"].tolist() == ["ok"] * 4 + ["error"] * 5
    assert out["years"].tolist()[:4] == ["5", "5.5", "5", ""]
    assert all(r.startswith("years: ") for r in out["reason"].tolist()[4:])


def test_dask_agrees_on_a_damaged_file(matcher, tmp_path):
    pytest.importorskip("distributed")
    src = write(tmp_path / "d.csv", ["001,Kaltakquise, SAP,5", "002,Verhandlungsgeschick,3", "003,SAP,CRM,Excel,2",
                                     "004,Excel,-5", "005,,2", ",SAP,1"])
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    matcher.score_file(src, a, chunk_rows=2)
    matcher.score_file(src, b, chunk_rows=2, engine="dask")
    assert a.read_bytes() == b.read_bytes()
