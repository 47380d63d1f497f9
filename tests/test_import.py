"""The BIS page importer: 003 and pages derived from it, idempotence, malformed pages."""

import re
from pathlib import Path

import pytest

from matcher.bis_import import import_page
from matcher.errors import ImportError_
from matcher.loader import load


def kam_terms(data) -> dict[str, float]:
    return {r.competency_id: r.weight for r in data.roles["key-account-manager"].requirements}


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
            and not p.name.startswith(".")}


def test_003_reproduces_bundled_requirements_and_is_idempotent(tmp_path, seed_003):
    first = import_page(seed_003, tmp_path)
    assert first.role_id == "key-account-manager" and first.action == "updated"
    assert kam_terms(load(tmp_path)) == kam_terms(load())
    before = snapshot(tmp_path)
    second = import_page(seed_003, tmp_path)
    assert second.action == "unchanged" and second.files == () and snapshot(tmp_path) == before


def _variant_layout(text: str) -> str:
    """Other bullets, tab indentation, no markdown headings, Windows line ends."""
    text = text.replace("\n  - ", "\n\t• ").replace("\n- ", "\n* ")
    return re.sub(r"^#+\s*", "", text, flags=re.M).replace("\n", "\r\n")


def _variant_translation(text: str) -> str:
    """Another language's translations (pseudo-French), and a typo in one German term."""
    text = re.sub(r"(?m)(?<=- )([A-Za-z][A-Za-z \-]+?) \(([^()]+)\)",
                  lambda m: f"Connaissances de la {m.group(1).lower()[::-1]} ({m.group(2)})", text)
    text = text.replace("Headings", "Rubriques").replace("Kundenbetreuungskenntnisse)", "Kundenbetreuungskennnisse)")
    return text


@pytest.mark.parametrize("variant", [_variant_layout, _variant_translation])
def test_variants_give_the_same_set(tmp_path, seed_003, variant):
    page = tmp_path / "page.txt"
    page.write_text(variant(seed_003.read_text(encoding="utf-8")), encoding="utf-8")
    result = import_page(page, tmp_path / "overlay")
    assert set(kam_terms(load(tmp_path / "overlay"))) == set(kam_terms(load()))
    assert result.new_competencies == ()
    if variant is _variant_translation:
        assert ("Kundenbetreuungskennnisse", "Kundenbetreuungskenntnisse") in result.reconciled
        assert result.aliases_added > 0


def test_new_role_page_adds_role_and_competencies(tmp_path, seed_003):
    text = seed_003.read_text(encoding="utf-8")
    text = text.replace("# Key account manager (Key-Account-ManagerIn)", "# Pricing expert (Pricing-ExpertIn)")
    text = text.replace("760152", "999999").replace("- Wholesale (Großhandel)",
                                                     "- Wholesale (Großhandel)\n  - Price design (Preisdesign)")
    page = tmp_path / "p.txt"
    page.write_text(text, encoding="utf-8")
    result = import_page(page, tmp_path / "o")
    data = load(tmp_path / "o")
    assert result.action == "added" and result.role_id == "pricing-expert"
    assert "preisdesign" in result.new_competencies and data.competencies["preisdesign"].parent == "verkaufskenntnisse"
    assert "key-account-manager" in data.roles and "pricing-expert" in data.roles


@pytest.mark.parametrize(("content", "message"), [
    (b"", "empty"),
    (b"   \n\n", "empty"),
    (b"Just some text without any brackets at all.\nAnother line.", "no German terms in brackets"),
    (b"\x00\x01\x02binary\x00data" * 100, "binary"),
    (b"# Title (Titel)\n\nSome (text) without sections\n", "no competency sections"),
])
def test_malformed_pages_fail_cleanly_and_leave_overlay_unchanged(tmp_path, seed_003, content, message):
    overlay = tmp_path / "o"
    import_page(seed_003, overlay)
    before = snapshot(overlay)
    page = tmp_path / "bad.txt"
    page.write_bytes(content)
    with pytest.raises(ImportError_, match=message):
        import_page(page, overlay)
    assert snapshot(overlay) == before


def test_50_mb_page_is_refused(tmp_path):
    page = tmp_path / "big.txt"
    with page.open("wb") as fh:
        fh.write(b"- Sales (Verkauf)\n" * (50 * 1024 * 1024 // 18))
    with pytest.raises(ImportError_, match="byte limit"):
        import_page(page, tmp_path / "o")
    assert not (tmp_path / "o").exists() or not any((tmp_path / "o").rglob("*.yaml"))


def test_ids_from_pages_stay_inside_the_overlay(tmp_path, seed_003):
    text = seed_003.read_text(encoding="utf-8").replace(
        "# Key account manager (Key-Account-ManagerIn)", "# Evil (../../../../tmp/evil)").replace("760152", "111111")
    page = tmp_path / "p.txt"
    page.write_text(text, encoding="utf-8")
    result = import_page(page, tmp_path / "o")
    for f in result.files:
        assert Path(f).resolve().is_relative_to((tmp_path / "o").resolve())
    assert "/" not in result.role_id and ".." not in result.role_id


def test_missing_page_is_a_clear_error(tmp_path):
    with pytest.raises(ImportError_, match="cannot read"):
        import_page(tmp_path / "nope.txt", tmp_path / "o")


def _minimal_page(terms: list[str], income: str = "") -> str:
    lines = ["# Test role (Testberuf)", "", "## Income", "## (Einkommen)", income, "",
             "### Professional competences (Fachliche berufliche Kompetenzen)", ""]
    lines += [f"- Skill {i} ({term})" for i, term in enumerate(terms)]
    return "\n".join(lines) + "\n"


def test_two_new_terms_one_typo_apart(tmp_path):
    """The second is reconciled with the first (added by the same page), not a crash."""
    page = tmp_path / "page.txt"
    page.write_text(_minimal_page(["Quantenbuchhaltungsmethoden", "Quantenbuchhaltungsmethodn"]), encoding="utf-8")
    result = import_page(page, tmp_path / "overlay")
    assert result.new_competencies == ("quantenbuchhaltungsmethoden",)
    assert result.reconciled == (("Quantenbuchhaltungsmethodn", "Quantenbuchhaltungsmethoden"),)


@pytest.mark.parametrize("income", ["1" + "0" * 5000 + " bis 2 Euro brutto", "1." * 40000 + " bis 2 Euro brutto"])
def test_hostile_income_lines_are_read_quickly(tmp_path, income):
    import time

    page = tmp_path / "page.txt"
    page.write_text(_minimal_page(["Quantenbuchhaltung"], income), encoding="utf-8")
    start = time.perf_counter()
    import_page(page, tmp_path / "overlay")
    assert time.perf_counter() - start < 5
