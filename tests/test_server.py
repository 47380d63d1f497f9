"""The HTTP API (issue 13): the same JSON as the CLI, JSON errors with the right status, size
limits, uploads, and schema-driven fuzzing of every endpoint (schemathesis)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings

from matcher.cli import main
from matcher.server import MAX_JSON_BYTES, create_app

ROOT = Path(__file__).resolve().parent.parent
CV = (ROOT / "examples" / "cv_key_account.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def client(matcher):
    with TestClient(create_app(matcher=matcher), raise_server_exceptions=False) as c:
        yield c


def test_match_is_exactly_the_cli_json(client, capsys):
    got = client.post("/api/match", json={"skills": CV, "years": 6})
    assert got.status_code == 200
    assert main(["match", "--json", "--years", "6", CV]) == 0
    assert got.json() == json.loads(capsys.readouterr().out)


def test_endpoints_answer(client):
    assert client.get("/healthz").json()["status"] == "ok"
    roles = client.get("/api/roles").json()["roles"]
    assert {r["id"] for r in roles} >= {"key-account-manager", "account-manager"}
    assert client.get("/api/roles/key-account-manager").json()["ams_code"] == "760152"
    assert len(client.get("/api/taxonomy").json()["competencies"]) > 100
    items = client.post("/api/resolve", json={"skills": ["Kaltakquise", "Krankenpflege"]}).json()["items"]
    assert items[0]["competency"]["id"] == "neukundenakquisition" and items[1]["competency"] is None
    advert = (ROOT / "examples" / "advert_de.txt").read_text(encoding="utf-8")
    v = client.post("/api/vacancy", json={"text": advert}).json()["vacancy"]
    assert v["nearest_role"]["id"] == "key-account-manager" and v["ok"]
    both = client.post("/api/match", json={"skills": "Key Account Management, SAP", "vacancy": advert}).json()
    assert both["results"][0]["role"]["id"].startswith("vacancy-")
    page = client.get("/")
    assert page.status_code == 200 and "<textarea" in page.text and "http" not in page.text.split("</head>")[0]
    assert client.get("/static/app.js").status_code == 200 and client.get("/static/x.js").status_code == 404


@pytest.mark.parametrize("method, path, kwargs, status, words", [
    ("get", "/api/roles/nope", {}, 404, "unknown role id"),
    ("post", "/api/match", {"content": b"Kaltakquise", "headers": {"Content-Type": "text/plain"}}, 415, "JSON"),
    ("post", "/api/match", {"content": b"{not json", "headers": {"Content-Type": "application/json"}}, 422, ""),
    ("post", "/api/match", {"json": {"skills": "SAP", "roles": ["ghost"]}}, 400, "unknown role id"),
    ("post", "/api/match", {"json": {"skills": "SAP", "years": -1}}, 422, "years"),
    ("post", "/api/match", {"json": {"skills": "  "}}, 422, "no skills"),
    ("post", "/api/match", {"json": {"skils": "SAP"}}, 422, ""),
    ("post", "/api/vacancy", {"json": {"text": "Wir bieten:\n- Firmenwagen"}}, 422, "requirement section"),
    ("post", "/api/batch", {"files": {"file": ("e.txt", b"id,skills\n1,SAP\n")}}, 415, "unsupported"),
    ("post", "/api/batch", {"json": {"file": "x"}}, 415, "multipart"),
    ("get", "/nowhere", {}, 404, ""),
])
def test_errors_are_json_with_the_right_status(client, method, path, kwargs, status, words):
    got = getattr(client, method)(path, **kwargs)
    body = got.json()
    assert got.status_code == status and set(body) == {"error", "fix"} and words in body["error"], body
    assert "Traceback" not in got.text


def test_bodies_over_the_limit_are_refused(client):
    big = b'{"skills": "' + b"x" * (MAX_JSON_BYTES + 10) + b'"}'
    got = client.post("/api/match", content=big, headers={"Content-Type": "application/json"})
    assert got.status_code == 413 and "byte limit" in got.json()["error"]

    def chunks():  # no Content-Length: counted while it streams in
        for _ in range(MAX_JSON_BYTES // 65536 + 2):
            yield b"x" * 65536

    got = client.post("/api/match", content=chunks(), headers={"Content-Type": "application/json"})
    assert got.status_code == 413


def test_batch_upload_returns_the_scored_file(client):
    export = (ROOT / "examples" / "employees.csv").read_bytes()
    got = client.post("/api/batch?output=csv", files={"file": ("employees.csv", export, "text/csv")})
    assert got.status_code == 200 and "employees.scores.csv" in got.headers["content-disposition"]
    df = pd.read_csv(io.BytesIO(got.content), sep=None, engine="python", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert len(df) == 200 and {"best_role", "best_fit", "best_band"} <= set(df.columns)
    got = client.post("/api/batch?output=xlsx&role=account-manager", files={"file": ("e.csv", export)})
    assert got.status_code == 200 and got.content[:2] == b"PK"
    bad = client.post("/api/batch", files={"file": ("e.csv", b"\x00\x01\x02 binary")})
    assert bad.status_code == 422 and "fix" in bad.json()


schema = schemathesis.openapi.from_asgi("/openapi.json", create_app())


@schema.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_api_fuzz_no_500_and_schema_holds(case):
    response = case.call()
    assert response.status_code < 500, (case.path, response.text[:300])
    if response.status_code < 400:
        case.validate_response(response)


def test_stopping_the_server_stops_its_workers(tmp_path):
    """`kill` (SIGTERM) of `matcher serve --workers 2` ends the workers as well, not only the parent."""
    import signal
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-c", "import sys; from matcher.cli import main; sys.exit(main())",
                             "serve", "--port", str(port), "--workers", "2"], stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2).read()
                break
            except OSError:
                assert proc.poll() is None and time.monotonic() < deadline, "the server did not start"
                time.sleep(0.2)
        workers = subprocess.run(["pgrep", "-P", str(proc.pid)], capture_output=True, text=True).stdout.split()
        assert len(workers) == 2
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=20)
        deadline = time.monotonic() + 20
        alive = workers
        while alive and time.monotonic() < deadline:
            alive = [w for w in workers if _running(w)]
            time.sleep(0.2)
        assert not alive, "workers outlived the server"
    finally:
        if proc.poll() is None:
            proc.kill()


def _running(pid: str) -> bool:
    try:
        return "zombie" not in Path(f"/proc/{pid}/status").read_text().lower()
    except OSError:  # gone
        return False
