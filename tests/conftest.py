"""Shared fixtures. The index is built once per test session into a temporary directory, so
tests never touch (or depend on) the developer's models/ folder."""

from __future__ import annotations

import csv
import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Property and fuzz tests: CI runs a short, fixed-seed profile; HYPOTHESIS_PROFILE=fuzz runs long.
settings.register_profile("ci", max_examples=40, deadline=None, derandomize=True,
                          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
settings.register_profile("fuzz", max_examples=500, deadline=None,
                          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
# The BIS page of seed 003, copied as a fixture so the importer tests run without ../shared.
SEED_003 = Path(__file__).parent / "fixtures" / "bis_003_key_account_manager.txt"
EVAL = SHARED / "eval"

_INDEX_DIR = tempfile.mkdtemp(prefix="matcher-test-index-")
os.environ["MATCHER_INDEX_DIR"] = _INDEX_DIR
os.environ.pop("MATCHER_DATA_DIR", None)


@pytest.fixture(scope="session")
def matcher():
    from matcher import Matcher

    return Matcher(notify=None)


@pytest.fixture(scope="session")
def index(matcher):
    return matcher.index


def run(capsys, *argv):
    """Run the CLI in-process: (exit status, stdout, stderr). Paths and numbers may be passed as they are."""
    from matcher.cli import main

    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def eval_rows(name: str) -> list[dict[str, str]]:
    path = EVAL / name
    if not path.exists():  # pragma: no cover - the eval set lives next to the repository
        pytest.skip(f"{path} not available")
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture
def seed_003() -> Path:
    if not SEED_003.exists():  # pragma: no cover
        pytest.skip("seed 003 not available")
    return SEED_003
