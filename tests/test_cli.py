"""The CLI: golden output, JSON, stdin, and every error path (message, exit status, no traceback)."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import run
from matcher.cli import main

GOLDEN = Path(__file__).parent / "golden"
CV = "Key Account Management, Vertragsverhandlungen, Marktanalysen, SAP, Englisch C1, Krankenpflege"



def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"output differs from {path}; UPDATE_GOLDEN=1 to accept"


def test_match_golden(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "110")
    code, out, _ = run(capsys, "match", CV, "--years", "6")
    assert code == 0
    check_golden("match.txt", out)


@pytest.mark.parametrize("columns, lang", [(80, "de"), (80, "en"), (150, "en")])
def test_match_at_80_columns_cuts_nothing_and_pads_nothing(capsys, monkeypatch, columns, lang):
    monkeypatch.setenv("COLUMNS", str(columns))
    code, out, _ = run(capsys, "match", CV, "--years", "6", "--lang", lang)
    lines = out.split("\n")
    assert code == 0 and max(map(len, lines)) <= columns and all(line == line.rstrip() for line in lines)
    if columns == 80:
        assert "…" not in out  # nothing cut
        assert ("Key-Account-ManagerIn" if lang == "de" else "Key account manager") in out
        check_golden(f"match-80-{lang}.txt", out)
    words = ("Passung je Beruf", "Voraussetzungen", "Es fehlt") if lang == "de" else ("Fit per role", "Gates")
    assert all(w in out for w in words)


def test_resolve_golden(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "110")
    code, out, _ = run(capsys, "resolve", "Kaltakquise", "Beschwerdemanagment", "Krankenpflege", "Kundenservicecenter", "Bachelor BWL")
    assert code == 0
    check_golden("resolve.txt", out)


def test_match_json_schema(capsys):
    code, out, _ = run(capsys, "match", CV, "--json", "--top", "2", "--lang", "en")
    data = json.loads(out)
    assert code == 0 and data["schema_version"] == 4 and len(data["results"]) == 2
    assert data["results"][0]["role"]["id"] == "key-account-manager"
    assert [u["input"] for u in data["unrecognised"]] == ["Krankenpflege"]


def test_explain(capsys):
    code, out, _ = run(capsys, "match", "--explain", "key-account-manager", "CRM, Salesforce")
    assert code == 0 and "Customer Relationship Management" in out and "(z. B. Salesforce)" in out
    assert "Kern (" in out and "Weitere (" in out and "z. B. Salesforce ✓" in out
    code, out, _ = run(capsys, "match", "--explain", "key-account-manager", "--lang", "en", "CRM, Salesforce")
    assert code == 0 and "Core (" in out and "Further (" in out and "fit = readiness(core)" in out


def test_stdin_paste(capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO("• SAP\n• Kaltakquise\n".encode())))
    code, out, _ = run(capsys, "match", "--json")
    assert code == 0 and len(json.loads(out)["items"]) == 2


def test_file_input_cp1252(capsys, tmp_path):
    cv = tmp_path / "cv.txt"
    cv.write_bytes("Verhandlungsstärke\nKundenpräsentationen".encode("cp1252"))
    code, out, _ = run(capsys, "match", "--file", str(cv), "--json")
    labels = [i["competency"]["label_de"] for i in json.loads(out)["items"]]
    assert code == 0 and labels == ["Verhandlungsstärke", "Abhalten von Kundenpräsentationen"]


@pytest.mark.parametrize(("argv", "status", "message"), [
    (["match", "SAP", "--role", "nope"], 2, "unknown role id 'nope'"),
    (["match", "--explain", "nope", "SAP"], 2, "unknown role id"),
    (["match", "   "], 2, "no skills given"),
    (["match", "SAP", "--file", "x.txt"], 2, "not both"),
    (["match", "--file", "/definitely/not/here.txt"], 1, "no such file"),
    (["match", "--file", "/"], 1, "is a directory"),
    (["import-bis", "/nonexistent.txt"], 2, "needs an overlay directory"),
])
def test_error_paths(capsys, argv, status, message):
    code, out, err = run(capsys, *argv)
    assert code == status and message in err and "fix:" in err and "Traceback" not in err


@pytest.mark.parametrize("argv", [["match", "--top", "0", "SAP"], ["match", "--years", "abc", "SAP"], ["nope"],
                                  ["match", "--lang", "fr", "SAP"]])
def test_usage_errors_exit_2(argv):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2


def test_binary_file(capsys, tmp_path):
    f = tmp_path / "cv.bin"
    f.write_bytes(b"\x00\x01\x02" * 100)
    code, _, err = run(capsys, "match", "--file", str(f))
    assert code == 1 and "binary" in err


def test_roles_and_taxonomy_json(capsys):
    code, out, _ = run(capsys, "roles", "--json")
    roles = json.loads(out)["roles"]
    assert code == 0 and len(roles) == 6 and roles[0]["requirements"]
    code, out, _ = run(capsys, "taxonomy", "--json")
    comps = {c["id"]: c for c in json.loads(out)["competencies"]}
    assert comps["salesforce"]["parent"] == "e-commerce-software" and comps["erp-systeme"]["aliases"]["zxx"]


def test_import_cli(capsys, tmp_path, seed_003):
    code, out, _ = run(capsys, "import-bis", str(seed_003), "--data-dir", str(tmp_path))
    assert code == 0 and "key-account-manager" in out
    code, out, _ = run(capsys, "import-bis", str(seed_003), "--data-dir", str(tmp_path))
    assert "unchanged" in out


def test_invalid_overlay_is_a_data_error(capsys, tmp_path):
    (tmp_path / "taxonomy").mkdir()
    (tmp_path / "taxonomy" / "x.yaml").write_text("competencies: [", encoding="utf-8")
    code, _, err = run(capsys, "--data-dir", str(tmp_path), "roles")
    assert code == 1 and "invalid YAML" in err and "x.yaml" in err


def test_installed_entry_point_runs_from_elsewhere(tmp_path):
    exe = Path(sys.executable).with_name("matcher")
    proc = subprocess.run([str(exe), "roles", "--json"], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and "key-account-manager" in proc.stdout


def test_markup_in_data_is_shown_as_written(capsys, tmp_path):
    (tmp_path / "profiles" / "roles").mkdir(parents=True)
    (tmp_path / "profiles" / "roles" / "mk.yaml").write_text(
        'id: mk\ntitle: {de: "Rolle [/bold]"}\nrequirements:\n  - {id: neukundenakquisition, tier: core, weight: 1}\n',
        encoding="utf-8")
    for argv in (["roles"], ["match", "Kaltakquise"], ["match", "--explain", "mk", "Kaltakquise"]):
        code, out, err = run(capsys, "--data-dir", str(tmp_path), *argv)
        assert code == 0 and "Rolle [/bold]" in out and "Traceback" not in err, argv


def test_explain_usage_errors(capsys):
    for argv in (["--explain", "", "SAP"], ["--explain", "key-account-manager", "--role", "account-manager", "SAP"],
                 ["--explain", "key-account-manager", "--top", "2", "SAP"]):
        code, _, err = run(capsys, "match", *argv)
        assert code == 2 and "--explain" in err and "fix:" in err, argv


def test_serve_on_a_taken_port_says_so_before_claiming_to_serve(capsys):
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        code, out, err = run(capsys, "serve", "--port", str(port))
    assert code == 1 and "cannot listen on 127.0.0.1:" in err and "another --port" in err
    assert "serving" not in err and "Traceback" not in err


def test_serve_refuses_a_port_out_of_range(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["serve", "--port", "70000"])
    _, err = capsys.readouterr()
    assert exc.value.code == 2 and "is not a port: use 1 to 65535" in err and "serving" not in err
