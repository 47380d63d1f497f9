"""Batch scoring: input variants, bad rows, formula neutralisation, atomic writes, summary, Dask."""

import csv
import json
import os
from pathlib import Path

import pandas as pd
import pytest

import matcher.batch.local as batch_local
from matcher.parse import split_items
from matcher.limits import MAX_CELL_CHARS
from matcher.cli import main
from matcher.errors import InputError

ROOT = Path(__file__).resolve().parent.parent
ROWS = [("E1", "Kaltakquise; SAP; Verhandlungsgeschick", "5"),
        ("E2", "CRM, Marktanalysen, Englisch C1", "2"),
        ("E3", "Teamleitung | Reporting | Kostenplanung", "8")]
OWASP = ["=1+2", "+SUM(A1:A2)", "-2+3", "@SUM(1,1)", "=HYPERLINK(\"http://evil\",\"x\")",
         "=cmd|' /C calc'!A0", "\t=1", "\r=1"]


def write_csv(path: Path, rows, *, delimiter=",", encoding="utf-8", header=("employee_id", "skills", "years")):
    with path.open("w", encoding=encoding, newline="") as fh:
        w = csv.writer(fh, delimiter=delimiter)
        w.writerow(header)
        w.writerows(rows)
    return path


def scores(matcher, path, tmp_path, **kw) -> pd.DataFrame:
    out = tmp_path / f"out-{path.stem}.csv"
    matcher.score_file(path, out, **kw)
    df = pd.read_csv(out, sep=None, engine="python", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    numbers = [c for c in df.columns if c.startswith("fit_") or c in ("best_fit", "best_core", "years")]
    return df.assign(**{c: df[c].str.replace(",", ".", regex=False) for c in numbers})  # `;` files: decimal comma


FITS = ["best_role", "best_fit", "fit_key-account-manager", "top_missing"]


@pytest.mark.parametrize(("delimiter", "encoding", "ext"), [
    (",", "utf-8", ".csv"), (";", "cp1252", ".csv"), ("\t", "utf-8", ".tsv"), ("|", "utf-8-sig", ".csv"),
])
def test_delimiters_and_encodings_give_the_same_scores(matcher, tmp_path, delimiter, encoding, ext):
    base = scores(matcher, write_csv(tmp_path / "base.csv", ROWS), tmp_path)
    rows = [(i, s.replace("Kaltakquise", "Kaltakquise; Präsentationen"), y) for i, s, y in ROWS]
    base = scores(matcher, write_csv(tmp_path / "base2.csv", rows), tmp_path)
    variant = scores(matcher, write_csv(tmp_path / f"v{ext}", rows, delimiter=delimiter, encoding=encoding), tmp_path)
    assert variant[FITS].equals(base[FITS])


def test_german_excel_export_with_german_headers(matcher, tmp_path):
    path = write_csv(tmp_path / "de.csv", ROWS, delimiter=";", encoding="cp1252",
                     header=("Personalnummer", "Fähigkeiten", "Berufserfahrung"))
    out = scores(matcher, path, tmp_path)
    assert out["id"].tolist() == ["E1", "E2", "E3"] and (out["status"] == "ok").all()
    assert out["years"].tolist() == ["5", "2", "8"]


def test_quoted_newlines_in_cells(matcher, tmp_path):
    path = write_csv(tmp_path / "nl.csv", [("E1", "Kaltakquise\nSAP\nVerhandlungsgeschick", "5")])
    out = scores(matcher, path, tmp_path)
    assert len(out) == 1 and out.loc[0, "unrecognised"] == ""


def test_xlsx_and_parquet_inputs(matcher, tmp_path):
    df = pd.DataFrame(ROWS, columns=["id", "Kompetenzen", "years"])
    df.to_excel(tmp_path / "e.xlsx", index=False)
    df.to_parquet(tmp_path / "e.parquet", index=False)
    base = scores(matcher, write_csv(tmp_path / "b.csv", ROWS), tmp_path)
    for name in ("e.xlsx", "e.parquet"):
        assert scores(matcher, tmp_path / name, tmp_path)[FITS].equals(base[FITS])


def test_long_input_layout(matcher, tmp_path):
    long_rows = [(i, s.strip(), y) for i, cell, y in ROWS for s in split_items(cell)]
    path = write_csv(tmp_path / "long.csv", long_rows, header=("employee_id", "skill", "years"))
    long = scores(matcher, path, tmp_path, long_input=True, skills_col="skill")
    base = scores(matcher, write_csv(tmp_path / "b.csv", ROWS), tmp_path)
    assert long[FITS].equals(base[FITS])


def test_every_bad_row_reason_is_kept(matcher, tmp_path):
    path = tmp_path / "bad.csv"
    lines = ["id,skills,years", "E1,SAP,1", ",SAP,1", "E3,,2", f"E4,{'SAP; ' * (MAX_CELL_CHARS // 4)},3",
             "E1,Präsentationen,1"]
    # a UTF-8 file with one row saved as cp1252: a mixed-encoding export
    path.write_bytes("\n".join(lines).encode("utf-8") + b"\nE5,Verhandlungsst\xe4rke,2\n")
    out = scores(matcher, path, tmp_path)
    assert len(out) == 6
    assert out["reason"].tolist() == ["", "missing id", "empty skills", f"skills cell over {MAX_CELL_CHARS} characters",
                                      "", "undecodable bytes in the row (mixed or wrong encoding)"]
    assert out["status"].tolist() == ["ok", "error", "error", "error", "ok", "error"]
    assert out.loc[4, "note"] == "duplicate id (first at row 1)"


def test_closing_report_counts(capsys, tmp_path):
    path = write_csv(tmp_path / "e.csv", [("E1", "SAP", "1"), ("", "SAP", "1"), ("E1", "CRM", "2")])
    assert main(["batch", str(path), "-o", str(tmp_path / "o.csv")]) == 0
    err = capsys.readouterr().err
    assert "scored 2 of 3 rows" in err and "1 missing id" in err and "1 rows repeat an earlier id" in err


@pytest.mark.parametrize("ext", [".csv", ".xlsx"])
def test_formula_cells_are_neutralised(matcher, tmp_path, ext):
    rows = [(f"E{i}", payload, "1") for i, payload in enumerate(OWASP)] + [("=1+1", "SAP", "1")]
    path = write_csv(tmp_path / "evil.csv", rows)
    out = tmp_path / f"o{ext}"
    matcher.score_file(path, out)
    df = pd.read_csv(out, sep=None, engine="python", encoding="utf-8-sig", dtype=str, keep_default_na=False) if ext == ".csv" else pd.read_excel(out, dtype=str).fillna("")
    for col in df.columns:
        for value in df[col]:
            assert not str(value).startswith(("=", "+", "-", "@", "\t", "\r")), (col, value)
    assert "'=1+1" in df["id"].tolist()


def test_interrupted_run_leaves_no_output(matcher, tmp_path, monkeypatch):
    path = write_csv(tmp_path / "e.csv", ROWS * 10)
    out = tmp_path / "o.csv"
    calls = {"n": 0}
    real = batch_local.score_chunk

    def flaky(*args):
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt
        return real(*args)

    monkeypatch.setattr(batch_local, "score_chunk", flaky)
    with pytest.raises(KeyboardInterrupt):
        matcher.score_file(path, out, chunk_rows=5)
    assert not out.exists() and not list(tmp_path.glob(".o.csv*"))


@pytest.mark.parametrize("ext", [".csv", ".xlsx", ".parquet"])
def test_rerun_is_byte_identical(matcher, tmp_path, ext):
    path = ROOT / "examples" / "employees.csv"
    a, b = tmp_path / f"a{ext}", tmp_path / f"b{ext}"
    matcher.score_file(path, a, summary=tmp_path / "sa.json")
    matcher.score_file(path, b, summary=tmp_path / "sb.json")
    assert a.read_bytes() == b.read_bytes()
    assert (tmp_path / "sa.json").read_bytes() == (tmp_path / "sb.json").read_bytes()


def test_long_output(matcher, tmp_path):
    out = tmp_path / "long.csv"
    matcher.score_file(write_csv(tmp_path / "e.csv", ROWS), out, fmt="long")
    df = pd.read_csv(out, sep=None, engine="python", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert len(df) == 3 * 6 and df.groupby("id")["rank"].apply(lambda s: sorted(s) == [str(i) for i in range(1, 7)]).all()


def test_long_output_ranks_by_the_best_role_rule(matcher, tmp_path):
    """Rank 1 in the long format is the wide format's best role and match()'s first, also when
    the best role is not the highest fit (a supervisor who shows no leading)."""
    rows = [("E1", "Kundenbetreuung im Vertrieb, CRM, Beratung von Kunden, Projektmanagement", "6"),
            ("E2", "Teamleitung, Kundenbetreuung im Vertrieb, CRM", "6"), ("E3", "Kaltakquise", "")]
    src = write_csv(tmp_path / "e.csv", rows)
    matcher.score_file(src, tmp_path / "long.csv", fmt="long")
    long = pd.read_csv(tmp_path / "long.csv", sep=None, engine="python", encoding="utf-8-sig", dtype=str)
    for ident, skills, years in rows:
        results = matcher.match(skills, years=float(years) if years else None)
        mine = long[long["id"] == ident].sort_values("rank", key=lambda s: s.astype(int))
        assert mine["role"].tolist() == [r.role.id for r in results]
    first = long[(long["id"] == "E1") & (long["rank"] == "1")]
    assert first["role"].item() != "account-supervisor"  # the highest fit, held back


def test_summary_figures_hand_checked(matcher, tmp_path):
    # E1 lists exactly the junior profile's requirements (fit 100); E2 only Kaltakquise
    # (Neukundenakquisition: core weight 1.0 of 2.8, c = 0.357; readiness c^2 (3 - 2c) = 0.291;
    # no further competency: x 0.8, fit 23.3); E3 cannot be scored.
    junior = [matcher.index.data.competencies[r.competency_id].label_de
              for r in matcher.index.data.roles["junior-account-manager"].requirements]
    rows = [("E1", "; ".join(junior), "0"), ("E2", "Kaltakquise", "0"), ("E3", "", "0")]
    path = write_csv(tmp_path / "e.csv", rows)
    matcher.score_file(path, tmp_path / "o.csv", summary=tmp_path / "s.json", roles=["junior-account-manager"])
    s = json.loads((tmp_path / "s.json").read_text())
    j = s["roles"]["junior-account-manager"]
    assert (s["rows"], s["scored"], s["errors"]) == (3, 2, {"empty skills": 1})
    assert (j["employees"], j["at_least_50"], j["at_least_90"]) == (2, 1, 1)
    c = 1.0 / 2.8
    assert j["mean_fit"] == round((100 + round(100 * c * c * (3 - 2 * c) * 0.8, 1)) / 2, 1)  # of the fits as written
    assert j["bands"] == {"ready": 1, "close": 0, "far": 1}
    missing = {g["id"]: g["employees_missing"] for g in j["top_missing"]}
    assert missing["dokumentation"] == 1 and "neukundenakquisition" not in missing
    demand = {c["id"]: c for c in s["course_demand"]}
    assert demand["schulung-kundenbetreuung"]["employees_helped"] == 1  # only E2 has gaps
    assert s["recommended_courses"]
    matcher.score_file(path, tmp_path / "o2.csv", summary=tmp_path / "s.csv", roles=["junior-account-manager"])
    text = (tmp_path / "s.csv").read_text(encoding="utf-8-sig")
    assert "section,role,employees,mean_fit,ready,close,far,at_least_50,at_least_70,at_least_90" in text
    assert f"fit_by_role,junior-account-manager,2,{j['mean_fit']},1,0,1,1,1,1" in text


def test_score_frame_matches_cli(matcher, tmp_path):
    path = ROOT / "examples" / "employees.csv"
    cli = scores(matcher, path, tmp_path)
    frame = matcher.score_frame(pd.read_csv(path, sep=None, engine="python", encoding="utf-8-sig", dtype=str, keep_default_na=False))
    assert frame["best_role"].tolist() == cli["best_role"].tolist()
    assert frame["fit_key-account-manager"].fillna(-1).tolist() == \
        cli["fit_key-account-manager"].replace("", "-1").astype(float).tolist()


@pytest.mark.parametrize(("argv", "message"), [
    (["--skills-col", "nope"], "no column 'nope'"),
    (["--id-col", "nope"], "no column 'nope'"),
])
def test_unknown_column_is_exit_1(capsys, tmp_path, argv, message):
    path = write_csv(tmp_path / "e.csv", ROWS)
    assert main(["batch", str(path), "-o", str(tmp_path / "o.csv"), *argv]) == 1
    assert message in capsys.readouterr().err


def test_unreadable_inputs_and_outputs(capsys, tmp_path):
    good = write_csv(tmp_path / "e.csv", ROWS)
    cases = [
        ([str(tmp_path / "missing.csv"), "-o", str(tmp_path / "o.csv")], "no such file"),
        ([str(good), "-o", str(tmp_path / "nodir" / "o.csv")], "does not exist"),
        ([str(good), "-o", str(good)], "the output (-o) and the input are the same file"),
    ]
    (tmp_path / "empty.csv").write_bytes(b"")
    cases.append(([str(tmp_path / "empty.csv"), "-o", str(tmp_path / "o.csv")], "empty"))
    (tmp_path / "noskills.csv").write_text("a,b\n1,2\n")
    cases.append(([str(tmp_path / "noskills.csv"), "-o", str(tmp_path / "o.csv")], "skills column"))
    (tmp_path / "bad.xlsx").write_bytes(b"not a zip")
    cases.append(([str(tmp_path / "bad.xlsx"), "-o", str(tmp_path / "o.csv")], "cannot read"))
    for argv, message in cases:
        code = main(["batch", *argv])
        err = capsys.readouterr().err
        assert code in (1, 2) and message in err and "Traceback" not in err, (argv, err)


def test_read_only_output_directory(capsys, tmp_path, monkeypatch):
    import matcher.batch.write as batch

    good = write_csv(tmp_path / "e.csv", ROWS)
    real = os.access
    monkeypatch.setattr(batch.os, "access", lambda p, mode: False if Path(p) == tmp_path / "ro" else real(p, mode))
    (tmp_path / "ro").mkdir()
    assert main(["batch", str(good), "-o", str(tmp_path / "ro" / "o.csv")]) == 1
    assert "not writable" in capsys.readouterr().err and not (tmp_path / "ro" / "o.csv").exists()


def test_local_workers_give_the_same_bytes(matcher, tmp_path):
    path = ROOT / "examples" / "employees_de.csv"
    outs = []
    for workers in (1, 2):
        out, summary = tmp_path / f"w{workers}.csv", tmp_path / f"w{workers}.json"
        matcher.score_file(path, out, summary=summary, chunk_rows=16, workers=workers)
        outs.append((out.read_bytes(), summary.read_bytes()))
    assert outs[0] == outs[1]


def test_dask_engine_equals_default(matcher, tmp_path):
    pytest.importorskip("distributed")
    path = ROOT / "examples" / "employees.csv"
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    matcher.score_file(path, a, summary=tmp_path / "sa.json", chunk_rows=64)
    matcher.score_file(path, b, summary=tmp_path / "sb.json", engine="dask", chunk_rows=64)
    assert a.read_bytes() == b.read_bytes()
    assert (tmp_path / "sa.json").read_bytes() == (tmp_path / "sb.json").read_bytes()


def test_bundled_sample_exports_run(capsys, tmp_path):
    for name in ("employees.csv", "employees_de.csv"):
        assert main(["batch", str(ROOT / "examples" / name), "-o", str(tmp_path / f"{name}.out.csv")]) == 0
    assert main(["batch", str(ROOT / "examples" / "employees_long.csv"), "--long-input", "-o",
                 str(tmp_path / "long.out.csv")]) == 0


def test_input_error_is_not_a_traceback(matcher, tmp_path):
    with pytest.raises(InputError):
        matcher.score_file(tmp_path / "nope.csv", tmp_path / "o.csv")
