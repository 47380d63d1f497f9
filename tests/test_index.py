"""The persisted index: query vectors equal scikit-learn's, and every fault ends in a correct index."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from matcher.index import store as index_mod
from matcher.index import NGRAM_RANGE, build_index, char_wb_ngrams, get_index, paths_for
from matcher.loader import load
from matcher.overlay import data_files, fingerprint


def test_query_vectors_equal_sklearn_transform(index):
    from sklearn.feature_extraction.text import TfidfVectorizer

    vec = TfidfVectorizer(analyzer="char_wb", ngram_range=NGRAM_RANGE, sublinear_tf=True, lowercase=False)
    vec.fit(index.keys)
    for text in ["beschwerdemanagment", "kundenpraesentationen halten", "sap", "zz", "xyz qqq verkauf verkauf"]:
        expected = vec.transform([text]).toarray().ravel()
        got = np.zeros_like(expected)
        v = index.vectorise(text)
        if v is not None:
            got[v[0]] = v[1]
        assert np.allclose(got, expected)


def test_char_wb_matches_sklearn_analyzer():
    from sklearn.feature_extraction.text import TfidfVectorizer

    analyzer = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4)).build_analyzer()
    for text in ["a", "ab", "key account", "x y z", "beschwerdemanagement"]:
        assert char_wb_ngrams(text) == analyzer(text)


@pytest.fixture
def index_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("MATCHER_INDEX_DIR", str(tmp_path))
    return tmp_path


def _paths():
    return paths_for(fingerprint(data_files()))


def test_missing_index_is_built_and_reused(index_dir):
    ix = get_index()
    blob, manifest = _paths()
    assert blob.exists() and json.loads(manifest.read_text())["sha256"]
    mtime = blob.stat().st_mtime_ns
    assert get_index().fingerprint == ix.fingerprint and blob.stat().st_mtime_ns == mtime


@pytest.mark.parametrize("damage", ["truncate", "garbage", "manifest", "swap"])
def test_damaged_index_is_rebuilt_with_a_notice(index_dir, damage):
    get_index()
    blob, manifest = _paths()
    if damage == "truncate":
        blob.write_bytes(blob.read_bytes()[:100])
    elif damage == "garbage":
        blob.write_bytes(b"not a pickle at all")
    elif damage == "manifest":
        manifest.write_text("{not json")
    else:  # a different, valid pickle in place of the index: must not be loaded
        import joblib

        joblib.dump({"evil": True}, blob)
    notices: list[str] = []
    ix = get_index(notify=notices.append)
    assert ix.comp_ids and len(notices) == 1 and "building it" in notices[0]
    assert get_index(notify=notices.append) is not None and len(notices) == 1


def test_stale_index_after_data_change(index_dir, tmp_path):
    overlay = tmp_path / "overlay"
    (overlay / "taxonomy").mkdir(parents=True)
    get_index(overlay)
    (overlay / "taxonomy" / "x.yaml").write_text(
        "competencies:\n  - {id: neukundenakquisition, aliases: {de: [Klinkenputzen]}}\n", encoding="utf-8")
    ix = get_index(overlay)
    assert "klinkenputzen" in ix.exact


def test_read_only_location_falls_back(tmp_path, monkeypatch):
    monkeypatch.delenv("MATCHER_INDEX_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(index_mod.os, "access", lambda *a, **k: False)
    assert index_mod.index_dir() == tmp_path / "cache" / "matcher"


def test_two_processes_building_at_once(index_dir):
    code = "from matcher.index import get_index; ix = get_index(); print(len(ix.comp_ids))"
    procs = [subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    outs = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs), outs
    assert outs[0][0] == outs[1][0]
    ix = get_index()
    assert str(len(ix.comp_ids)) == outs[0][0].strip()
    assert not list(Path(index_dir).glob(".*.tmp"))


def test_build_is_deterministic():
    files = data_files()
    fp = fingerprint(files)
    a, b = build_index(load(files=files), fp), build_index(load(files=files), fp)
    assert a.keys == b.keys and a.vocabulary == b.vocabulary and np.allclose(a.idf, b.idf)


def test_unwritable_index_location_still_answers(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("MATCHER_INDEX_DIR", str(blocker / "index"))
    notices: list[str] = []
    ix = get_index(notify=notices.append)
    assert ix.comp_ids and any("in memory only" in n for n in notices)
