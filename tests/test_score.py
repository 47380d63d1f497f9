"""Scoring invariants (property-based) and role ranking."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import eval_rows
from matcher.score import credit_matrix, credits, fits


def _labels(index):
    return [c.label_de for c in index.data.competencies.values()]


def test_own_requirements_score_100(matcher, index):
    for role in index.data.roles.values():
        labels = [index.data.competencies[r.competency_id].label_de for r in role.requirements]
        result = matcher.match(labels, roles=[role.id])[0]
        assert result.fit == pytest.approx(100.0), role.id
        assert not result.missing


def test_empty_list_scores_zero(matcher):
    assert all(r.fit == 0 for r in matcher.match([]))


@given(data=st.data())
def test_adding_a_skill_never_lowers_any_fit(matcher, index, data):
    labels = _labels(index) + ["Kaltakquise", "SAP", "Krankenpflege", "MS Office", "Verhandlungsgeschick"]
    base = data.draw(st.lists(st.sampled_from(labels), max_size=8))
    extra = data.draw(st.sampled_from(labels))
    before = {r.role.id: r.fit for r in matcher.match(base)}
    after = {r.role.id: r.fit for r in matcher.match(base + [extra])}
    assert all(after[k] >= before[k] - 1e-9 for k in before)


@given(data=st.data())
def test_fits_bounded_and_order_independent(matcher, index, data):
    items = data.draw(st.lists(st.sampled_from(_labels(index) + ["Tierpflege", "CRM"]), max_size=10))
    shuffled = data.draw(st.permutations(items))
    a = {r.role.id: round(r.fit, 9) for r in matcher.match(items)}
    b = {r.role.id: round(r.fit, 9) for r in matcher.match(list(shuffled))}
    assert a == b and all(0 <= v <= 100 for v in a.values())


def test_hierarchy_credit(index):
    pos = index.comp_pos
    credit, _ = credits(index, [pos["salesforce"]], [1.0])
    # a child credits its parent less than the parent itself would, and less again two levels up
    assert credit[pos["e-commerce-software"]] == pytest.approx(0.85)
    assert credit[pos["e-commerce-kenntnisse"]] == pytest.approx(0.85 ** 2)
    assert credit[pos["elektronische-dienstleistungen-in-branchen"]] == 0.0  # sibling branch
    # a curated related link: partial credit, clearly below direct evidence
    assert credit[pos["customer-relationship-management"]] == pytest.approx(0.5)
    credit, _ = credits(index, [pos["e-commerce-software"]], [1.0])
    assert credit[pos["salesforce"]] == 0.5


def test_links_are_symmetric_and_equivalents_credit_fully(index):
    comps = index.data.competencies
    for c in comps.values():
        for link in c.related:
            assert any(back.id == c.id and back.kind == link.kind for back in comps[link.id].related), (c.id, link.id)
    pos = index.comp_pos
    for a, b in (("vertragsverhandlung", "verkaufsverhandlung"), ("verkaufsverhandlung", "vertragsverhandlung")):
        credit, _ = credits(index, [pos[a]], [1.0])
        assert credit[pos[b]] == pytest.approx(0.5)
    credit, _ = credits(index, [pos["reklamationsbearbeitung"]], [1.0])
    assert credit[pos["beschwerdemanagement"]] == 1.0


def test_batch_credits_equal_single(index):
    import scipy.sparse as sp

    rng = np.random.default_rng(0)
    n = len(index.comp_ids)
    rows = [rng.choice(n, size=rng.integers(0, 6), replace=False) for _ in range(20)]
    confs = [rng.uniform(0.5, 1.0, size=len(r)) for r in rows]
    ev = sp.lil_matrix((20, n))
    for i, (r, c) in enumerate(zip(rows, confs)):
        ev[i, r] = c
    batch = credit_matrix(index, ev.toarray())
    for i, (r, c) in enumerate(zip(rows, confs)):
        single, _ = credits(index, list(r), list(c))
        assert np.allclose(batch[i], single)
    assert np.allclose(fits(index, batch)[0][3], fits(index, credits(index, list(rows[3]), list(confs[3]))[0])[0][0])


def test_roles_dev_ranking(matcher):
    for row in eval_rows("roles_dev.csv"):
        results = matcher.match(row["cv"], years=float(row["years"]))
        if row["expected_top"]:
            assert row["expected_top"] in [r.role.id for r in results[:2]], row["cv"]
        else:
            assert all(r.fit <= 30 for r in results), row["cv"]


def test_gates_reported_not_hidden(matcher):
    junior = matcher.match("Kaltakquise, Dokumentation", years=0, roles=["key-account-manager"])[0]
    years_gate = next(g for g in junior.gates if g.name == "years")
    assert years_gate.status == "unmet"
    unknown = matcher.match("Kaltakquise", roles=["key-account-manager"])[0]
    assert next(g for g in unknown.gates if g.name == "years").status == "unknown"
    lang = matcher.match("Englisch B1, Deutsch Muttersprache", roles=["key-account-manager"])[0]
    status = {g.subject: g.status for g in lang.gates if g.name == "language"}
    assert status == {"deutsch": "met", "englisch": "unmet"}


def test_learning_plan_raises_fit_and_next_step(matcher):
    report = matcher.report("Key Account Management, Marktanalysen, SAP", years=6)
    best = report.results[0]
    assert best.plan and best.plan[-1].fit_after > best.fit
    assert [p.fit_after for p in best.plan] == sorted(p.fit_after for p in best.plan)
    assert report.next_steps and report.next_steps[0].from_role.id == best.role.id


def test_missing_sorted_by_weight_with_courses(matcher):
    m = matcher.match("CRM", roles=["key-account-manager"])[0]
    tiers = [x.tier for x in m.missing]
    assert tiers == sorted(tiers, key=lambda t: t != "core")  # core gaps first
    for tier in ("core", "further"):
        gaps = [x.weight * (1 - x.credit) for x in m.missing if x.tier == tier]
        assert gaps == sorted(gaps, reverse=True)
    assert any(x.courses for x in m.missing)


def test_to_dict_is_json_ready(matcher):
    import json

    report = matcher.report("SAP, Krankenpflege, Englisch C1", years=3)
    data = json.loads(json.dumps(report.to_dict()))
    assert data["schema_version"] == 4
    assert {"results", "items", "unrecognised", "next_steps", "years"} <= set(data)
    r0 = data["results"][0]
    assert {"role", "fit", "band", "core", "further", "core_count", "core_matched", "required_count",
            "matched_count", "gates", "matched", "missing", "plan"} <= set(r0)
    assert r0["band"] in ("ready", "close", "far")
    assert all(m["tier"] in ("core", "further") and m["relation"] for m in r0["matched"])
    assert data["unrecognised"][0]["input"] == "Krankenpflege"


def test_unknown_role_and_bad_arguments(matcher):
    from matcher.errors import UsageError

    with pytest.raises(UsageError, match="unknown role id"):
        matcher.match("SAP", roles=["nope"])
    with pytest.raises(UsageError):
        matcher.match("SAP", years=-1)
    with pytest.raises(UsageError):
        matcher.match(42)  # type: ignore[arg-type]


def test_match_competencies_scores_ids_without_reading(matcher):
    from matcher.errors import UsageError

    results = matcher.match_competencies(["neukundenakquisition", "angebotserstellung"], years=2)
    assert results == sorted(results, key=lambda r: -r.fit)
    same = matcher.match(["Neukundenakquisition", "Angebotserstellung"], years=2)
    assert {r.role.id: round(r.fit, 6) for r in results} == {r.role.id: round(r.fit, 6) for r in same}
    with pytest.raises(UsageError, match="unknown competency id"):
        matcher.match_competencies(["no-such-id"])


@given(st.floats(min_value=0, max_value=100, allow_nan=False))
def test_round1_is_numpys_rounding(value):
    from matcher.results import round1

    assert round1(value) == float(np.round(value, 1))  # the terminal, JSON and batch print one number
