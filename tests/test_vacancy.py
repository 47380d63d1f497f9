"""A job advert becomes a vacancy (issue 12): reading, gates, the nearest role, matching, shortlists,
saving, and every bad advert."""

import json
from pathlib import Path

import pandas as pd
import pytest

from conftest import run
from matcher.errors import InputError
from matcher.loader import load
from matcher.vacancy import MAX_ADVERT_BYTES

ROOT = Path(__file__).resolve().parent.parent
ADVERT = ROOT / "examples" / "advert_de.txt"
EMPLOYEES = ROOT / "examples" / "employees.csv"

# Written for these tests (not from the eval set): an advert of a trade the tree does not cover.
MACHINIST = """Zerspanungsmechaniker (m/w/d)
Ihr Profil:
- Abgeschlossene Berufsausbildung als Zerspanungsmechaniker
- Erfahrung mit CNC-Fräsmaschinen und Heidenhain-Steuerungen
- Lesen technischer Zeichnungen
- Bereitschaft zur Schichtarbeit
Wir bieten:
- Betriebliche Altersvorsorge
"""



@pytest.fixture(scope="module")
def vacancy(matcher):
    return matcher.vacancy(ADVERT.read_text(encoding="utf-8"), source=ADVERT.name)


def test_the_advert_becomes_a_role(vacancy):
    role = vacancy.role
    tiers = {r.competency_id: r.tier for r in role.requirements}
    assert tiers["key-account-management"] == "core" and tiers["erp-systeme"] == "core"
    assert tiers["verkaufsverhandlung"] == "further"  # a task, not a requirement
    assert tiers["verhandlungsstaerke"] == "further"  # a soft skill is never core
    assert "firmenwagen" not in json.dumps(vacancy.to_dict()).lower()  # benefits are not read
    langs = {lr.competency_id: (lr.level, lr.required) for lr in role.languages}
    assert langs == {"deutsch": ("C1", True), "englisch": ("B2", False)}  # "von Vorteil": preferred only
    assert role.gates.min_years == 3 and role.gates.education == "vocational"
    assert vacancy.nearest_role.id == "key-account-manager" and vacancy.ok and vacancy.understood > 0.8
    assert role.career_next == vacancy.nearest_role.career_next and role.salary  # where the advert is silent
    line = next(r for r in role.requirements if r.competency_id == "key-account-management")
    assert line.note == "Mindestens 3 Jahre Berufserfahrung im Key Account Management" and "§ line" in line.source


def test_must_and_plus_per_item(matcher):
    v = matcher.vacancy("Account Manager\n- English is a must, German or French a plus\n- Kaltakquise\n"
                        "- CRM-Kenntnisse von Vorteil\n- 2+ years of experience in B2B sales")
    langs = {lr.competency_id: lr.required for lr in v.role.languages}
    assert langs["englisch"] is True and langs["deutsch"] is False
    tiers = {r.competency_id: r.tier for r in v.role.requirements}
    assert tiers["neukundenakquisition"] == "core" and tiers["customer-relationship-management"] == "further"
    assert v.role.gates.min_years == 2 and v.role.title_de == "Account Manager"


def test_years_with_a_decimal_comma_are_the_vacancys_gate(matcher):
    v = matcher.vacancy("Key Account Manager\n- 1,5 Jahre Berufserfahrung im Vertrieb\n- Key Account Management\n- SAP")
    assert v.role.gates.min_years == 1.5


def test_years_in_words_are_the_vacancys_gate(matcher):
    """"mehrjährige" is more than two years: the advert asks for 3, as a CV stating it shows 3."""
    v = matcher.vacancy("Key Account Manager\n- mehrjährige Berufserfahrung im Key Account Management\n- SAP")
    assert v.role.gates.min_years == 3
    assert matcher.vacancy("Account Manager\n- zwei Jahre Erfahrung im Vertrieb\n- CRM").role.gates.min_years == 2


def test_own_requirements_score_100_against_the_vacancy(matcher, vacancy):
    labels = [c.label_de for c in vacancy.competencies]
    results = matcher.match(labels, vacancy=vacancy)
    assert results[0].role.id == vacancy.role.id and results[0].fit == pytest.approx(100.0)
    assert {r.role.id for r in results[1:]} == set(matcher.index.role_ids)  # the bundled roles below, to compare


def test_a_trade_outside_the_tree_is_declined(matcher, capsys, tmp_path):
    v = matcher.vacancy(MACHINIST)
    assert not v.ok and "mostly not understood" in v.verdict
    with pytest.raises(InputError, match="mostly not understood"):
        matcher.match("Kaltakquise", vacancy=v)
    ad = tmp_path / "machinist.txt"
    ad.write_text(MACHINIST, encoding="utf-8")
    code, _, err = run(capsys, "vacancy", ad, "--save", "--data-dir", tmp_path / "overlay")
    assert code == 1 and "mostly not understood" in err and not (tmp_path / "overlay").exists()


@pytest.mark.parametrize("content, message", [
    (b"", "empty"),
    (b"\x00\x01binary\x00", "binary"),
    ("Wir bieten:\n- Firmenwagen\n- Homeoffice\n".encode(), "no requirement section"),
    (b"x" * (MAX_ADVERT_BYTES + 10), "byte limit"),
])
def test_bad_adverts_get_a_clear_message_and_nothing_is_written(capsys, tmp_path, content, message):
    ad = tmp_path / "ad.txt"
    ad.write_bytes(content)
    overlay = tmp_path / "overlay"
    code, out, err = run(capsys, "vacancy", ad, "--save", "--data-dir", overlay)
    assert code == 1 and message in err and "fix:" in err and "Traceback" not in err + out
    assert not overlay.exists()


def test_cli_vacancy_text_json_and_save_is_idempotent(capsys, tmp_path):
    code, out, _ = run(capsys, "vacancy", ADVERT)
    assert code == 0 and "Nearest bundled role: Key-Account-ManagerIn" in out and "Core (3)" in out
    code, out, _ = run(capsys, "vacancy", ADVERT, "--json")
    data = json.loads(out)["vacancy"]
    assert code == 0 and {"id", "title", "requirements", "gates", "nearest_role", "unread", "understood"} <= set(data)
    assert all({"competency", "tier", "weight", "line"} <= set(r) for r in data["requirements"])
    overlay = tmp_path / "overlay"
    code, out, _ = run(capsys, "vacancy", ADVERT, "--save", "--data-dir", overlay)
    saved = overlay / "profiles" / "roles" / f"{data['id']}.yaml"
    assert code == 0 and "added" in out and saved.exists()
    before = saved.read_bytes()
    code, out, _ = run(capsys, "vacancy", ADVERT, "--save", "--data-dir", overlay)
    assert code == 0 and "unchanged" in out and saved.read_bytes() == before
    role = load(overlay).roles[data["id"]]
    assert role.source.startswith("advert_de.txt (job advert") and len(role.requirements) == len(data["requirements"])
    code, _, err = run(capsys, "vacancy", ADVERT, "--save")
    assert code == 2 and "--data-dir" in err


def test_match_and_batch_with_a_vacancy(capsys, tmp_path):
    code, out, _ = run(capsys, "match", "--vacancy", ADVERT, "--json", "Key Account Management, SAP, Excel")
    results = json.loads(out)["results"]
    assert code == 0 and results[0]["role"]["id"].startswith("vacancy-") and len(results) == 7
    shortlist = tmp_path / "shortlist.csv"
    code, _, err = run(capsys, "batch", EMPLOYEES, "-o", shortlist, "--vacancy", ADVERT)
    df = pd.read_csv(shortlist, sep=None, engine="python", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert code == 0 and list(df.columns[:2]) == ["rank", "row"] and {"id", "gates", "best_band", "top_missing"} <= set(df)
    ok = df[df["status"] == "ok"]
    fits = ok["best_fit"].astype(float).tolist()
    assert fits == sorted(fits, reverse=True) and ok["rank"].iloc[0] == "1"
    assert (df[df["status"] != "ok"]["rank"] == "").all() and len(df) == 200  # no row lost, errors last
    code, _, err = run(capsys, "batch", EMPLOYEES, "-o", tmp_path / "x.csv", "--vacancy", ADVERT,
                       "--role", "account-manager")
    assert code == 2 and "--vacancy" in err


def test_score_frame_with_a_vacancy_agrees_with_match(matcher, vacancy):
    df = pd.read_csv(EMPLOYEES, sep=None, engine="python", encoding="utf-8-sig", dtype=str, keep_default_na=False).head(25)
    out = matcher.score_frame(df, vacancy=vacancy)
    assert out["row"].tolist() == list(range(1, 26)) and "rank" in out
    for _, row in out[out["status"] == "ok"].iterrows():
        years = float(row["years"]) if row["years"] == row["years"] else None
        want = matcher.match(df.loc[row["row"] - 1, "skills"], years=years, vacancy=vacancy)[0]
        assert float(row["best_fit"]) == want.to_dict()["fit"] and row["best_band"] == want.band


def test_an_advert_waiving_years_asks_for_none(matcher):
    v = matcher.vacancy("Account Manager\n- Quereinsteiger ohne mehrjährige Berufserfahrung willkommen\n- CRM")
    assert v.role.gates.min_years is None


def test_years_label_first_are_the_vacancys_gate(matcher):
    assert matcher.vacancy("Account Manager\n- Berufserfahrung: 3 Jahre\n- CRM").role.gates.min_years == 3
