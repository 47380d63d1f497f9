"""Loader validation and the overlay directory."""

from pathlib import Path

import pytest

from matcher.errors import DataError
from matcher.loader import load


def write(root: Path, rel: str, text: str) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def problems(tmp_path) -> str:
    with pytest.raises(DataError) as exc:
        load(tmp_path)
    return str(exc.value)


def test_bundled_data_is_complete():
    data = load()
    assert len(data.roles) == 6 and {"key-account-manager", "junior-account-manager", "account-manager",
                                     "senior-account-manager", "customer-success-manager",
                                     "account-supervisor"} == set(data.roles)
    assert data.competencies["salesforce"].parent == "e-commerce-software"
    assert data.competencies["e-commerce-software"].parent == "e-commerce-kenntnisse"
    assert data.roles["key-account-manager"].ams_code == "760152"
    assert all(c.sources for c in data.competencies.values())
    assert all(r.source for role in data.roles.values() for r in role.requirements)
    assert all(s.currency and s.period and s.country and s.source for role in data.roles.values() for s in role.salary)
    assert len(data.courses) >= 25 and all(c.develops and c.source for c in data.courses.values())


def test_overlay_adds_competency_alias_role_course(tmp_path):
    write(tmp_path, "taxonomy/mine.yaml", """
competencies:
  - {id: preisgestaltung, label_de: Preisgestaltung, label_en: Pricing, parent: verkaufskenntnisse, kind: technical,
     source: curated, aliases: {de: [Preispolitik]}}
  - {id: neukundenakquisition, aliases: {de: [Klinkenputzen]}}
""")
    write(tmp_path, "profiles/roles/inside-sales.yaml", """
id: inside-sales
title: {de: Inside-Sales-ManagerIn, en: Inside sales manager}
source: curated
requirements:
  - {id: neukundenakquisition, weight: 1.0}
  - {id: preisgestaltung, weight: 0.6}
career: {next: [account-manager]}
""")
    write(tmp_path, "profiles/courses-mine.yaml", """
courses:
  - {id: pricing-workshop, title_de: Workshop Preisgestaltung, kind: training, develops: [preisgestaltung], source: curated}
""")
    data = load(tmp_path)
    assert "preisgestaltung" in data.competencies and "inside-sales" in data.roles and "pricing-workshop" in data.courses
    assert "Klinkenputzen" in [a.text for a in data.competencies["neukundenakquisition"].aliases]
    assert data.competencies["neukundenakquisition"].label_de == "Neukundenakquisition"


@pytest.mark.parametrize(("rel", "text", "expected"), [
    ("taxonomy/x.yaml", "competencies:\n  - {id: a-b, label_de: A, kind: technical, source: s, parent: nowhere}\n",
     "unknown parent 'nowhere'"),
    ("taxonomy/x.yaml", "competencies:\n  - {id: z1, label_de: Z1, kind: technical, source: s, parent: z2}\n"
                        "  - {id: z2, label_de: Z2, kind: technical, source: s, parent: z1}\n", "loops"),
    ("taxonomy/x.yaml", "competencies:\n  - {id: q, label_de: Q, kind: technical, source: s}\n"
                        "  - {id: q, label_de: Q2, kind: technical, source: s}\n", "duplicate id 'q'"),
    ("taxonomy/x.yaml", "competencies:\n  - {id: q, label_de: Q, kind: technical, source: s, aliases: {de: [SAP]}}\n",
     "also names 'erp-systeme'"),
    ("taxonomy/x.yaml", "competencies:\n  - {id: Bad Id, label_de: Q, kind: technical, source: s}\n", "not a slug"),
    ("taxonomy/x.yaml", "competencies:\n  - {id: q, label_de: Q, kind: magic, source: s}\n", "kind"),
    ("taxonomy/x.yaml", "competencies:\n  - {id: q, label_de: Q, kind: technical}\n", "no source"),
    ("taxonomy/x.yaml", "competencies: [\n  - {id: q\n", "invalid YAML"),
    ("taxonomy/x.yaml", "- just\n- a list\n", "expected a mapping"),
    ("profiles/roles/r.yaml", "id: r\ntitle: {de: R}\nrequirements:\n  - {id: sap-nonexistent, weight: 1}\n",
     "not a known competency"),
    ("profiles/roles/r.yaml", "id: r\ntitle: {de: R}\nrequirements:\n  - {id: reporting, weight: 1.5}\n",
     "out of range"),
    ("profiles/roles/r.yaml", "id: r\ntitle: {de: R}\nrequirements:\n  - {id: reporting, weight: 1}\n"
                              "career: {next: [ghost]}\n", "unknown role 'ghost'"),
    ("profiles/c.yaml", "courses:\n  - {id: c1, title_de: C, kind: training, develops: [ghost], source: s}\n",
     "unknown competency ids"),
    ("profiles/roles/r.yaml", "id: r\ntitle: {de: R}\nrequirements:\n  - {id: reporting, tier: core, weight: 1}\n"
                              "gates: {shows: mitarbeiterfuehrung, shows_source: s}\n", "gates.shows 'mitarbeiterfuehrung'"),
    ("profiles/roles/r.yaml", "id: r\ntitle: {de: R}\nrequirements:\n  - {id: reporting, tier: core, weight: 1}\n"
                              "gates: {shows: reporting}\n", "with shows_source"),
    ("profiles/roles/r.yaml", "id: r\ntitle: {de: R}\nrequirements:\n  - {id: reporting, tier: core, weight: 1}\n"
                              "gates: {shows: [reporting], shows_source: s}\n", "gates.shows ['reporting']"),
])
def test_validation_errors_name_file_entry_and_fix(tmp_path, rel, text, expected):
    path = write(tmp_path, rel, text)
    message = problems(tmp_path)
    assert expected in message and path.name in message


def test_all_problems_reported_at_once(tmp_path):
    write(tmp_path, "taxonomy/x.yaml", "competencies:\n  - {id: a1, label_de: A1, kind: technical, source: s, parent: n1}\n"
                                       "  - {id: a2, label_de: A2, kind: technical, source: s, parent: n2}\n")
    with pytest.raises(DataError) as exc:
        load(tmp_path)
    assert len(exc.value.problems) == 2


def test_not_utf8_and_unsafe_yaml(tmp_path):
    (tmp_path / "taxonomy").mkdir()
    (tmp_path / "taxonomy" / "x.yaml").write_bytes(b"competencies: [\xff\xfe]")
    assert "not UTF-8" in problems(tmp_path)
    (tmp_path / "taxonomy" / "x.yaml").write_text("competencies: !!python/object/apply:os.system ['echo pwned']\n")
    assert "invalid YAML" in problems(tmp_path)


def test_missing_overlay_directory(tmp_path):
    with pytest.raises(DataError, match="does not exist"):
        load(tmp_path / "nope")
