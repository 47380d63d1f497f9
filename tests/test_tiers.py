"""Tiers, examples, lateral links and the fit built from them (issue 11).

The fit's invariants are checked twice: on the public API with real data, and as properties
of the array formula over arbitrary credit vectors.
"""

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import run

from matcher.dates import total_years
from matcher.errors import DataError
from matcher.loader import load
from matcher.model import section_tier
from matcher.score import (
    CLOSE, COURSE_CREDIT, NEAR_POINTS, PRACTICE_CREDIT, READY, band_codes, combine, fits, learning_plan, rank_roles,
)


def write(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


# --- tiers in the data ---------------------------------------------------------------------


def test_every_requirement_has_a_tier_and_no_soft_skill_is_core(index):
    comps = index.data.competencies
    for role in index.data.roles.values():
        assert any(r.tier == "core" for r in role.requirements), role.id
        for r in role.requirements:
            assert r.tier in ("core", "further"), (role.id, r.competency_id)
            if r.tier == "core":
                assert "cross-disciplinary" not in comps[r.competency_id].kinds, (role.id, r.competency_id)


def test_article_roles_justify_their_core_with_a_sentence(index):
    for role in index.data.roles.values():
        for r in role.requirements:
            if r.tier == "core" and not r.sections:  # article-based: tier by hand, so say why
                assert r.note and r.source, (role.id, r.competency_id)


def test_bis_sections_give_the_tier():
    assert section_tier(("advert", "technical-example"), ("technical",)) == "core"
    assert section_tier(("basic", "technical-area"), ("technical", "basic")) == "core"
    assert section_tier(("technical-example",), ("technical",)) == "example"
    assert section_tier(("technical-competency",), ("technical",)) == "further"
    assert section_tier(("advert",), ("cross-disciplinary",)) == "further"  # soft skills never core


def test_examples_hang_below_their_parent_and_equivalents_count_once(index):
    kam = {r.competency_id: r for r in index.data.roles["key-account-manager"].requirements}
    assert "salesforce" not in kam and [e.competency_id for e in kam["e-commerce-software"].examples] == ["salesforce"]
    assert "vertragsverhandlung" not in kam
    assert "vertragsverhandlung" in [e.competency_id for e in kam["operativer-einkauf"].examples]
    # Beschwerdemanagement and Reklamationsbearbeitung are listed side by side by BIS: one requirement
    assert "reklamationsbearbeitung" not in kam
    assert [a.competency_id for a in kam["beschwerdemanagement"].also] == ["reklamationsbearbeitung"]
    assert [a.competency_id for a in kam["verkaufskenntnisse"].also] == ["vertriebskenntnisse"]


def test_an_example_satisfies_its_parent(matcher):
    with_example = matcher.match_competencies(["salesforce"], roles=["key-account-manager"])[0]
    e = next(x for x in with_example.matched if x.competency.id == "e-commerce-software")
    assert e.credit == 1.0 and e.relation == "example"
    assert [(s.competency.id, s.shown) for s in e.examples] == [("salesforce", True)]


def test_soft_skill_written_core_and_orphan_example_are_refused(tmp_path):
    write(tmp_path, "profiles/roles/r.yaml", """
id: r
title: {de: R}
requirements:
  - {id: kommunikationsstaerke, tier: core, weight: 1}
  - {id: salesforce, tier: example}
  - {id: reporting, tier: kern}
  - {id: neukundenakquisition, weight: 1}
""")
    with pytest.raises(DataError) as exc:
        load(tmp_path)
    text = str(exc.value)
    assert "cross-disciplinary (soft) skill and cannot be core. Fix: write 'tier: further'" in text
    assert "example 'salesforce' illustrates no requirement of this role" in text
    assert "tier 'kern' is not one of ['core', 'further', 'example']" in text


def test_a_role_written_before_tiers_reads_as_core(tmp_path):
    write(tmp_path, "profiles/roles/r.yaml", """
id: r
title: {de: R}
requirements:
  - {id: neukundenakquisition, weight: 1}
  - {id: kommunikationsstaerke, weight: 0.5}
""")
    reqs = {r.competency_id: r.tier for r in load(tmp_path).roles["r"].requirements}
    assert reqs == {"neukundenakquisition": "core", "kommunikationsstaerke": "further"}


def test_related_links_are_checked_and_read_both_ways(tmp_path):
    write(tmp_path, "taxonomy/mine.yaml", """
competencies:
  - id: grosshandel
    related:
      - {id: key-account-management, source: curated}
      - {id: no-such-node, source: curated}
      - {id: e-procurement}
""")
    with pytest.raises(DataError) as exc:
        load(tmp_path)
    text = str(exc.value)
    assert "related link to unknown or same id 'no-such-node'" in text and "needs an id, a source" in text
    write(tmp_path, "taxonomy/mine.yaml", """
competencies:
  - id: grosshandel
    related: [{id: key-account-management, source: curated}]
""")
    data = load(tmp_path)
    assert "grosshandel" in [k.id for k in data.competencies["key-account-management"].related]


# --- the fit ------------------------------------------------------------------------------------


def test_own_requirements_score_100_from_ids(matcher, index):
    for role in index.data.roles.values():
        got = matcher.match_competencies([r.competency_id for r in role.requirements], roles=[role.id])[0]
        assert got.fit == pytest.approx(100.0) and got.core == pytest.approx(100.0) and not got.missing, role.id


def test_core_alone_is_ready_further_alone_is_nothing(matcher, index):
    for role in index.data.roles.values():
        core = [r.competency_id for r in role.requirements if r.tier == "core"]
        further = [r.competency_id for r in role.requirements if r.tier == "further"]
        if not further:
            continue
        only_core = matcher.match_competencies(core, roles=[role.id])[0]
        # 80 from the core; a little more where core evidence also credits a further competency
        assert 80.0 - 0.05 <= only_core.fit < 100 and only_core.band == "ready", role.id
        only_further = matcher.match_competencies(further, roles=[role.id])[0]
        # the further competencies cannot carry a candidate: the fit never exceeds what the core
        # credit (here only through the hierarchy) gives on its own
        assert only_further.fit <= combine(np.array([only_further.core / 100]), None)[0] + 1e-9, role.id


def test_soft_skills_alone_score_nothing(matcher, index):
    soft = [c.id for c in index.data.competencies.values() if "cross-disciplinary" in c.kinds]
    assert max(r.fit for r in matcher.match_competencies(soft)) <= 10


def test_lateral_evidence_counts_partly(matcher):
    kam = matcher.match_competencies(["key-account-management"], roles=["key-account-manager"])[0]
    crm = next(e for e in kam.matched if e.competency.id == "customer-relationship-management")
    assert crm.relation == "related" and crm.credit == pytest.approx(0.5)
    neg = matcher.match_competencies(["vertragsverhandlung"], roles=["account-manager"])[0]
    assert [(e.competency.id, e.relation) for e in neg.matched] == [("verkaufsverhandlung", "related")]


def test_cross_sector_core_counts_with_the_trade_only(matcher, index):
    """Leadership and project management are half an account supervisor's core, but every trade
    has leaders: alone they count nothing; with the role's own customer care they count in full."""
    assert index.cross_sector("mitarbeiterfuehrung") and index.cross_sector("englisch")
    assert not index.cross_sector("kundenservice") and not index.cross_sector("neukundenakquisition")
    alone = matcher.match_competencies(["mitarbeiterfuehrung", "projektmanagement"], roles=["account-supervisor"])[0]
    assert alone.fit == 0 and alone.anchor == 0
    assert {e.competency.id for e in alone.matched if e.cross} == {"mitarbeiterfuehrung", "projektmanagement"}
    anchored = matcher.match_competencies(["mitarbeiterfuehrung", "projektmanagement", "kundenbetreuungskenntnisse"],
                                          roles=["account-supervisor"])[0]
    assert anchored.anchor == pytest.approx(1.0) and anchored.band == "ready"
    assert anchored.to_dict()["anchor"] == 1.0 and alone.to_dict()["matched"][0]["cross_sector"] is True
    # a role without cross-sector core has no anchor
    assert matcher.match_competencies(["neukundenakquisition"], roles=["account-manager"])[0].anchor is None


def test_a_reuse_mark_is_checked(tmp_path):
    write(tmp_path, "taxonomy/mine.yaml", """
competencies:
  - {id: grosshandel, reuse: everywhere}
""")
    with pytest.raises(DataError) as exc:
        load(tmp_path)
    assert "reuse 'everywhere' must be the text 'cross-sector'" in str(exc.value)
    write(tmp_path, "taxonomy/mine.yaml", """
competencies:
  - {id: no-such-node, reuse: cross-sector}
""")
    with pytest.raises(DataError) as exc:
        load(tmp_path)
    assert "'no-such-node' is no competency of the tree" in str(exc.value)
    write(tmp_path, "taxonomy/mine.yaml", """
competencies:
  - {id: grosshandel, reuse: cross-sector}
  - {id: managementkenntnisse, label_de: Management, kind: technical, source: curated}
""")
    data = load(tmp_path)
    assert data.competencies["grosshandel"].reuse == "cross-sector"
    # relabelling a node in an overlay keeps the mark curated for it in reichweite.yaml
    assert data.competencies["managementkenntnisse"].reuse == "cross-sector"


@given(st.lists(st.floats(0, 1), min_size=2, max_size=6), st.lists(st.floats(0, 1), min_size=0, max_size=6),
       st.integers(0, 5), st.floats(0, 1))
def test_formula_is_monotone_and_bounded(core, further, at, more):
    c = np.array(core)
    f = np.array(further) if further else None
    base = float(combine(np.array([c.mean()]), None if f is None else np.array([f.mean()]))[0])
    assert 0.0 <= base <= 100.0
    raised = c.copy()
    raised[at % c.size] = max(raised[at % c.size], more)
    after = float(combine(np.array([raised.mean()]), None if f is None else np.array([f.mean()]))[0])
    assert after >= base - 1e-9
    if f is not None:
        f2 = f.copy()
        f2[at % f.size] = max(f2[at % f.size], more)
        assert float(combine(np.array([c.mean()]), np.array([f2.mean()]))[0]) >= base - 1e-9


@given(st.data())
def test_more_credit_never_lowers_any_role_fit(index, data):
    n = len(index.comp_ids)
    picks = data.draw(st.lists(st.integers(0, n - 1), max_size=10))
    credit = np.zeros((1, n))
    credit[0, picks] = data.draw(st.lists(st.floats(0.1, 1), min_size=len(picks), max_size=len(picks))) if picks else []
    extra = data.draw(st.integers(0, n - 1))
    raised = credit.copy()
    raised[0, extra] = 1.0
    assert (fits(index, raised)[0] >= fits(index, credit)[0] - 1e-9).all()
    assert (fits(index, np.zeros((1, n)))[0] == 0).all()


def test_bands_and_gates():
    fit = np.array([95.0, 70.0, 69.94, 40.0, 39.9, 80.0])
    unmet = np.array([0, 0, 0, 0, 0, 1])
    assert band_codes(fit, unmet).tolist() == [0, 0, 1, 1, 2, 1]  # an unmet required gate is never "ready"
    assert (READY, CLOSE) == (70.0, 40.0)


# --- best role ---------------------------------------------------------------------------------


def test_best_role_prefers_met_gates_and_seniority_within_a_few_points(index):
    ids = index.role_ids
    r = {rid: ids.index(rid) for rid in ids}
    chosen = tuple(range(len(ids)))
    fit = np.zeros((5, len(ids)))
    unmet = np.zeros((5, len(ids)), dtype=np.int64)
    # row 0: junior and account manager within NEAR_POINTS; 6 years: the more senior one first
    fit[0, r["junior-account-manager"]], fit[0, r["account-manager"]] = 62.0, 62.0 - NEAR_POINTS + 1
    # row 1: the top role's required gate is unmet; the next one, close behind, is met
    fit[1, r["key-account-manager"]], fit[1, r["account-manager"]] = 70.0, 67.0
    unmet[1, r["key-account-manager"]] = 1
    # row 2: far apart, fit decides whatever the gates
    fit[2, r["key-account-manager"]], fit[2, r["account-manager"]] = 70.0, 50.0
    unmet[2, r["key-account-manager"]] = 1
    # row 3: experience not shown: the role asking fewer years (1) before the senior one (3)
    fit[3, r["senior-account-manager"]], fit[3, r["account-manager"]] = 60.0, 58.0
    # row 4: the same with 4 years shown: the senior one, whose years are met
    fit[4] = fit[3]
    years = np.array([6.0, 6.0, np.nan, np.nan, 4.0])
    order = rank_roles(index, fit, unmet, years, chosen)
    assert ids[order[0, 0]] == "account-manager"
    assert ids[order[1, 0]] == "account-manager"
    assert ids[order[2, 0]] == "key-account-manager"
    assert ids[order[3, 0]] == "account-manager"
    assert ids[order[4, 0]] == "senior-account-manager"


def test_a_role_naming_no_years_fits_any_experience(index):
    """Customer Success Manager names no years: 6 years do not make the Account Manager (1 year)
    the better choice when the CSM fits a little better."""
    ids = index.role_ids
    r = {rid: ids.index(rid) for rid in ids}
    assert index.data.roles["customer-success-manager"].gates.min_years is None
    fit = np.zeros((1, len(ids)))
    fit[0, r["customer-success-manager"]], fit[0, r["account-manager"]] = 40.0, 37.5
    order = rank_roles(index, fit, np.zeros_like(fit, dtype=np.int64), np.array([6.0]), tuple(range(len(ids))))
    assert ids[order[0, 0]] == "customer-success-manager"


def test_years_decide_between_steps_of_one_ladder_not_between_jobs(index):
    """5 years meet both the Key Account Manager's 3 and the Account Supervisor's 4; the
    supervisor is not the better choice for that alone: different jobs are compared by fit. On
    the account managers' ladder the most senior step met still comes first."""
    ids = index.role_ids
    r = {rid: ids.index(rid) for rid in ids}
    fit = np.zeros((2, len(ids)))
    fit[0, r["key-account-manager"]], fit[0, r["account-supervisor"]] = 30.0, 27.0
    fit[1, r["account-manager"]], fit[1, r["senior-account-manager"]] = 30.0, 27.0
    order = rank_roles(index, fit, np.zeros_like(fit, dtype=np.int64), np.array([5.0, 5.0]), tuple(range(len(ids))))
    assert ids[order[0, 0]] == "key-account-manager"
    assert ids[order[1, 0]] == "senior-account-manager"
    ladders = index.role_ladders()
    assert len({ladders[r[k]] for k in ("junior-account-manager", "account-manager", "senior-account-manager",
                                        "account-supervisor")}) == 1  # the supervisor asks for their practice
    assert ladders[r["key-account-manager"]] != ladders[r["account-supervisor"]]


def test_a_supervisor_who_shows_no_leading_is_not_the_best_role(matcher):
    """The Account Supervisor must show leading staff (seed 002: "eine Führungskraft"). Without
    it the role keeps its fit, is not ready and does not come first while another role has a fit;
    with it, the same CV makes the supervisor the best role."""
    care = "Kundenbetreuung im Vertrieb, CRM, Beratung von Kunden, Projektmanagement"
    without = {r.role.id: r for r in matcher.match(care)}
    sup = without["account-supervisor"]
    assert sup.fit == max(r.fit for r in without.values())  # the highest fit ...
    assert matcher.match(care)[0].role.id != "account-supervisor"  # ... yet not the best role
    assert [(g.name, g.status, g.subject) for g in sup.gates][0] == ("shows", "unmet", "mitarbeiterfuehrung")
    assert sup.band != "ready" and sup.unmet_gates
    led = matcher.match(care + ", Teamleitung")
    assert led[0].role.id == "account-supervisor" and led[0].gates[0].status == "met"
    assert led[0].fit > sup.fit


def test_a_step_of_the_top_roles_ladder_joins_the_group_from_further_below(index):
    """A senior step fits the same person a little less (it asks for more): within LADDER_POINTS
    of the top role on its own ladder it is compared by seniority; another job is not."""
    ids = index.role_ids
    r = {rid: ids.index(rid) for rid in ids}
    fit = np.zeros((2, len(ids)))
    fit[0, r["account-manager"]], fit[0, r["account-supervisor"]] = 80.0, 72.0  # same ladder, 8 below
    fit[1, r["account-manager"]], fit[1, r["customer-success-manager"]] = 80.0, 72.0  # another job
    order = rank_roles(index, fit, np.zeros_like(fit, dtype=np.int64), np.array([10.0, 10.0]), tuple(range(len(ids))))
    assert ids[order[0, 0]] == "account-supervisor" and ids[order[1, 0]] == "account-manager"


def test_a_step_below_joins_the_group_when_the_years_fall_short(index):
    """0.8 years shown: the Account Manager's year is not met, so the Junior step 8 points below
    is where the person stands; with the years unknown, the rule for unknown years applies as before."""
    ids = index.role_ids
    r = {rid: ids.index(rid) for rid in ids}
    fit = np.zeros((2, len(ids)))
    fit[:, r["account-manager"]], fit[:, r["junior-account-manager"]] = 77.0, 69.0
    order = rank_roles(index, fit, np.zeros_like(fit, dtype=np.int64), np.array([0.8, 5.0]), tuple(range(len(ids))))
    assert ids[order[0, 0]] == "junior-account-manager" and ids[order[1, 0]] == "account-manager"


def test_a_supervisors_title_with_its_years_is_practice_leading_alone_is_not(matcher):
    """Years under a supervisor's title imply the supervisor's core, as every role's title does;
    years of leading staff in any trade do not (a head nurse is no account supervisor)."""
    def implied(text):
        sup = next(r for r in matcher.match(text) if r.role.id == "account-supervisor")
        return {e.competency.id for e in sup.matched if e.relation == "practice"}
    assert {"projektmanagement", "customer-relationship-management"} <= implied("Head of Sales\n01/2015 – 12/2022")
    assert implied("Teamleitung Pflege\n01/2015 – 12/2022") == set()


def test_a_course_or_degree_in_leading_does_not_show_leading(matcher):
    """The must-show competency comes from one's own work: a leadership course credits the fit
    (it is knowledge), yet is no evidence of having led staff."""
    base = "Kundenbetreuung im Vertrieb, CRM\n"
    for line, status in (("Weiterbildung Mitarbeiterführung", "unmet"), ("Teamleitung (5 Mitarbeiter)", "met")):
        sup = next(r for r in matcher.match(base + line) if r.role.id == "account-supervisor")
        assert sup.gates[0].status == status and any(e.competency.id == "mitarbeiterfuehrung" for e in sup.matched)


def test_the_supervisors_degree_is_a_preference(matcher):
    """Seed 002: "Im Normalfall solltest du ... einen Bachelor- oder Masterabschluss" — normally,
    not always: the gate is listed as preferred and leaves a vocational team lead ready."""
    cv = ("Teamleiter Account Management\n2016 – heute\nFührung von 7 Account Managern\nKundenbetreuung im Vertrieb, "
          "CRM, Projektmanagement, Reporting, Kostenplanung\nLehre Einzelhandelskaufmann")
    sup = next(r for r in matcher.match(cv) if r.role.id == "account-supervisor")
    edu = next(g for g in sup.gates if g.name == "education")
    assert not edu.mandatory and edu.status == "unmet" and not sup.unmet_gates


def test_a_broader_skill_does_not_show_the_must_show_competency(matcher):
    """`Management` credits leading staff as something broader (0.5): not enough to show it."""
    sup = next(r for r in matcher.match("Kundenbetreuung im Vertrieb, CRM, Management")
               if r.role.id == "account-supervisor")
    assert sup.gates[0].name == "shows" and sup.gates[0].status == "unmet"
    assert any(e.competency.id == "mitarbeiterfuehrung" for e in sup.matched)  # credited, all the same


def test_a_held_back_role_is_still_first_when_no_other_role_has_a_fit(index):
    """Held back only while another role has a fit: a text that shows nothing else keeps it first."""
    ids = index.role_ids
    r = {rid: ids.index(rid) for rid in ids}
    fit = np.zeros((2, len(ids)))
    fit[:, r["account-supervisor"]] = 20.0
    fit[1, r["customer-success-manager"]] = 3.0
    unshown = np.zeros_like(fit, dtype=bool)
    unshown[:, r["account-supervisor"]] = True
    order = rank_roles(index, fit, unshown.astype(np.int64), np.array([np.nan, np.nan]), tuple(range(len(ids))),
                       unshown=unshown)
    assert ids[order[0, 0]] == "account-supervisor"
    assert ids[order[1, 0]] == "customer-success-manager"


def test_bundled_sample_cv_is_ready_for_key_account(matcher):
    text = (Path(__file__).resolve().parent.parent / "examples" / "cv_key_account.txt").read_text(encoding="utf-8")
    best = matcher.match(text)[0]
    assert best.role.id == "key-account-manager" and best.fit >= 70 and best.band == "ready"


# --- honest learning plans ---------------------------------------------------------------------


def test_a_course_is_worth_less_than_practice(index):
    assert (index.course_credit() <= COURSE_CREDIT + 1e-12).all() and index.course_credit().max() == COURSE_CREDIT


def test_learning_plan_states_what_the_courses_add(matcher, index):
    r = index.role_ids.index("key-account-manager")
    m = matcher.match("Kaltakquise, SAP", roles=["key-account-manager"])[0]
    assert m.plan and m.plan[-1].fit_after < READY  # three courses do not make a beginner ready
    # the projected fit is the formula applied to the credit the courses give
    credit = np.zeros(len(index.comp_ids))
    for pos in (index.comp_pos["neukundenakquisition"], index.comp_pos["erp-systeme"]):
        credit = np.maximum(credit, index.dense_hierarchy()[pos])
    steps = learning_plan(index, r, credit)
    after = credit.copy()
    for k, _, fit_after in steps:
        after = np.maximum(after, index.course_credit()[k])
        assert fits(index, after[None, :])[0][0, r] == pytest.approx(fit_after)


# --- found in review ---------------------------------------------------------------------------


def test_contradictory_or_hollow_data_is_refused(tmp_path):
    write(tmp_path, "taxonomy/mine.yaml", """
competencies:
  - id: datenpflege
    related: [{id: marktanalysen, kind: equivalent, source: curated}]
  - id: marktanalysen
    related: [{id: datenpflege, kind: related, source: curated}]
""")
    write(tmp_path, "profiles/roles/r.yaml", """
id: r
title: {de: R}
requirements:
  - {id: reporting, tier: further, weight: 1}
  - {id: kommunikationsstaerke, weight: 1}
career: {next: [r]}
""")
    write(tmp_path, "profiles/roles/s.yaml", """
id: s
title: {de: S}
requirements:
  - {id: kundenbetreuungskenntnisse, tier: core, weight: 1}
  - {id: serviceorientierung, tier: example, example_of: kundenbetreuungskenntnisse}
  - {id: reporting, tier: core, weight: 1, example_of: kundenbetreuungskenntnisse}
""")
    with pytest.raises(DataError) as exc:
        load(tmp_path)
    text = str(exc.value)
    assert "calls 'marktanalysen' equivalent, but" in text and str(tmp_path) in text  # the overlay file is named
    assert "role 'r': no core requirement" in text
    assert "example 'serviceorientierung' is a cross-disciplinary (soft) skill" in text
    assert "belongs on an example only" in text


def test_explain_names_the_route_of_the_credit(matcher):
    got = matcher.match_competencies(["reklamationsbearbeitung"], roles=["key-account-manager"])[0]
    assert {e.competency.id: e.relation for e in got.matched}["beschwerdemanagement"] == "equivalent"
    crm = matcher.match("CRM", roles=["key-account-manager"])[0]
    via_link = next(e for e in crm.matched if e.competency.id == "e-commerce-software")
    assert via_link.relation == "related" and not any(s.shown for s in via_link.examples)


def test_years_of_a_roles_own_activity_imply_its_core(matcher):
    """Practice: years of the role's own activity, as long as the role asks, credit its other core
    requirements in part; naming the activity without years, or with fewer years, does not."""
    named = matcher.match("Customer Success", roles=["customer-success-manager"])[0]
    practised = matcher.match("4 Jahre Berufserfahrung im Customer Success", roles=["customer-success-manager"])[0]
    assert practised.core > named.core and not any(e.relation == "practice" for e in named.matched)
    implied = {e.competency.id: e for e in practised.matched if e.relation == "practice"}
    assert PRACTICE_CREDIT * 0.8 <= implied["produktschulung"].credit <= PRACTICE_CREDIT
    assert implied["produktschulung"].via.id == "customer-success-management"
    assert all(e.tier == "core" for e in implied.values())  # nothing spreads to further requirements
    assert "customer-success-management" not in implied  # named, so credited in full
    # the count of core requirements shown is what the text shows, not what practice implies
    assert practised.core_matched == sum(1 for e in practised.matched if e.tier == "core") - len(implied)
    short = matcher.match("Key Account Management (1 Jahr)", roles=["key-account-manager"])[0]
    long = matcher.match("Key Account Management (5 Jahre)", roles=["key-account-manager"])[0]
    assert not any(e.relation == "practice" for e in short.matched) and long.core > short.core
    dated = matcher.match("03/2019 – 02/2023 Account Manager", roles=["account-manager"])[0]
    assert "neukundenakquisition" in {e.competency.id for e in dated.matched if e.relation == "practice"}


@pytest.mark.parametrize("line", [
    "Studium Key Account Management 2015 - 2019",  # a degree
    "Weiterbildung Key Account Management (4 Jahre)", "möchte Key Account Management lernen (4 Jahre)",
    "keine Erfahrung im Key Account Management (5 Jahre)",  # a course, a wish, a negation
    "SAP (5 Jahre) und Key Account Management",  # the years belong to what the line names first
    "Key Account Management (weniger als 4 Jahre)",  # less than the role asks
    "2019 - 2023 Werkstudent Key Account Management", "2019 - 2023 Assistenz der Key Account Manager",
    "2019 - 2023 Zusammenarbeit mit Key Account Managern",  # a stint, or those who did the work
])
def test_no_practice_without_years_of_doing_the_work(matcher, line):
    got = matcher.match(line, roles=["key-account-manager"])[0]
    assert not any(e.relation == "practice" for e in got.matched)


def test_a_role_title_as_a_line_is_the_persons_own_job(matcher):
    """A line that is a role's title names its activity; a line that mentions the title does not."""
    got = {r.raw: r for r in matcher.resolve(["Senior Account Manager", "Key-Account-ManagerIn",
                                              "worked with account managers", "Accounting Manager 2015 - 2023"])}
    assert got["Senior Account Manager"].competency.id == "kundenbetreuung-im-vertrieb"
    assert got["Key-Account-ManagerIn"].competency.id == "key-account-management"
    assert got["worked with account managers"].competency is None
    assert got["Accounting Manager 2015 - 2023"].method != "title"
    dated = matcher.match("03/2016 – 02/2023 Key Account Manager", roles=["key-account-manager"])[0]
    assert "erp-systeme" in {e.competency.id for e in dated.matched if e.relation == "practice"}


def test_a_period_on_its_own_line_dates_the_title_beside_it(matcher):
    """A tabular CV ("03/2016 – heute" over the title line) is read as the one-line "03/2016 –
    heute Key Account Manager"; a junior's title implies no senior's core."""
    two_lines = matcher.report("Berufserfahrung\n03/2016 – heute\nKey Account Manager, ACME GmbH\n- Kaltakquise")
    one_line = matcher.report("03/2016 – heute Key Account Manager, ACME GmbH\n- Kaltakquise")
    assert [(r.role.id, round(r.fit, 1)) for r in two_lines.results] == [(r.role.id, round(r.fit, 1)) for r in one_line.results]
    kam = next(r for r in two_lines.results if r.role.id == "key-account-manager")
    assert any(e.relation == "practice" for e in kam.matched)
    junior = matcher.match("2015 - 2023 Junior Account Manager", roles=["senior-account-manager", "junior-account-manager"])
    by_id = {r.role.id: {e.competency.id for e in r.matched if e.relation == "practice"} for r in junior}
    assert by_id["junior-account-manager"] and not by_id["senior-account-manager"] & {"mentoring"}


@pytest.mark.parametrize("cv", [
    "Key Account Manager\n03/2016 – 09/2024\nJunior Account Manager\n10/2013 – 02/2016",  # periods under titles
    "03/2016 – 09/2024\nKey Account Manager\n10/2013 – 02/2016\nJunior Account Manager",  # periods above
    "Key Account Manager, ACME GmbH\n03/2016 – 09/2024",  # the employer between
    "Key Account Manager\nMetro AG · Vollzeit\nMärz 2016 – Sept. 2024 · 8 J. 7 Mon.",
])
def test_each_period_dates_its_own_title_in_the_cvs_layout(matcher, cv):
    titles = {r.raw: r.span for r in matcher.resolve(cv) if r.method == "title"}
    kam = next(v for k, v in titles.items() if k.startswith("Key Account Manager"))
    assert kam is not None and total_years([kam]) > 8
    if "Junior Account Manager" in titles:
        assert 2 < total_years([titles["Junior Account Manager"]]) < 3


@pytest.mark.parametrize("cv", [
    "Berufserfahrung\nKey Account Manager\n\nAusbildung\n09/2012 – 08/2015\nKaufmann im Groß- und Außenhandel",
    "Key Account Manager\nElternzeit\n2019 – 2022",  # time away parts them
])
def test_a_period_of_education_or_time_away_is_no_practice(matcher, cv):
    kam = matcher.match(cv, roles=["key-account-manager"])[0]
    assert not any(e.relation == "practice" for e in kam.matched)


def test_a_line_about_someone_elses_job_is_no_title(matcher):
    got = matcher.resolve(["Account Manager gesucht", "Key Account Manager Assistenz", "Key Account Manager Seminar"])
    assert all(r.method != "title" for r in got)


def test_practice_credits_only_what_it_implies(matcher):
    """Implied competencies credit themselves, not their parents, children or links: a key
    account manager's years say nothing of customer success, and a stint is no practice."""
    kam = matcher.report("Key Account Management (6 Jahre)")
    csm = next(r for r in kam.results if r.role.id == "customer-success-manager")
    assert not any(e.relation == "practice" for e in csm.matched)
    stint = matcher.match("Praktikum Account Management 07/2023 - 09/2023", roles=["junior-account-manager"])[0]
    assert not any(e.relation == "practice" for e in stint.matched)


def test_practice_shows_in_the_explanation(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    code, out, _ = run(capsys, "match", "--explain", "customer-success-manager", "--lang", "en",
                       "4 years in customer success")
    assert code == 0 and "4 years in customer success (practised as Customer success management)" in out
    code, out, _ = run(capsys, "match", "--json", "--explain", "customer-success-manager", "4 years in customer success")
    matched = json.loads(out)["explain"]["matched"]
    assert {m["competency"]["id"]: (m["relation"], m["via"]["id"]) for m in matched}["produktschulung"] == (
        "practice", "customer-success-management")


@pytest.mark.parametrize("practice", [
    '{id: reporting, source: "x § y"}', '{id: [kundenbetreuungskenntnisse], source: s}', "{id: {a: 1}, source: s}",
    "{}", '{id: kundenbetreuungskenntnisse, source: ""}', "{id: kundenbetreuungskenntnisse, source: s, min_years: 2}",
])
def test_practice_must_name_a_core_requirement_and_its_source(tmp_path, practice):
    write(tmp_path, "profiles/roles/r.yaml", f"""
id: r
title: {{de: R}}
requirements:
  - {{id: kundenbetreuungskenntnisse, tier: core, weight: 1}}
  - {{id: reporting, tier: further, weight: 1}}
practice: {practice}
""")
    with pytest.raises(DataError, match="practice .* must name one of the role's core requirements"):
        load(tmp_path)


def test_languages_never_named_are_not_listed(matcher):
    kam = matcher.match("CRM", roles=["key-account-manager"])[0]
    assert all(g.found is None for g in kam.gates if g.name == "language")
    listed = matcher.match("CRM, Englisch", roles=["key-account-manager"])[0]
    assert {g.subject: g.found for g in listed.gates if g.name == "language"}["englisch"] == "listed, no level"


def test_the_readme_python_example_prints_what_it_says(matcher):
    """The README's Python example states its output; this keeps the figure from going stale."""
    import re

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    said = re.search(r"# \('key-account-manager', ([\d.]+)\), best first", readme)
    got = matcher.match("Key Account Management, Verhandlungsgeschick, SAP, Marktanalysen, Englisch C1", years=5)[0]
    assert said and got.role.id == "key-account-manager" and round(got.fit, 1) == float(said.group(1))
