"""Reading whole texts (issue 10): sentences, multi-skill lines, precision, experience from dates.

The phrasings here are written for the tests (the eval material stays in ../shared/eval and is
measured by benchmarks/bench_real.py).
"""

from __future__ import annotations

import datetime

import pytest

import matcher.dates as dates
from matcher.parse import parse_item, split_items


def ids(res) -> list[str]:
    return [m.competency.id for m in res.mentions]


@pytest.mark.parametrize("sentence, expected", [
    ("Sie arbeiten souverän mit CRM-Systemen und Excel", {"customer-relationship-management"}),
    ("You are confident in cold calling and closing deals", {"neukundenakquisition"}),
    ("Wir wünschen uns sehr gute Deutschkenntnisse", {"deutsch"}),
    ("Mehrjährige Erfahrung im Vertrieb von Software", {"vertriebskenntnisse"}),
    ("Preisverhandlungen und Vertragsverhandlungen gehören zu deinem Alltag", {"verkaufsverhandlung"}),
    # a CV's past tense and a German verb before its object
    ("Processed orders and won new accounts", {"auftragsbearbeitung", "neukundenakquisition"}),
    ("Led a team of 5 sales reps", {"mitarbeiterfuehrung"}),
    ("Du verhandelst Verträge mit Kunden", {"vertragsverhandlung"}),
    ("Führte ein Team von 5 Mitarbeitern", {"mitarbeiterfuehrung"}),
])
def test_skills_inside_sentences_are_found(matcher, sentence, expected):
    (res,) = matcher.resolve([sentence])
    assert expected <= set(ids(res)), ids(res)
    assert all(m.words for m in res.mentions)  # each reading names the words it came from


def test_a_line_naming_several_skills_yields_each(matcher):
    (res,) = matcher.resolve(["Kaltakquise, Angebotserstellung und Reklamationsbearbeitung"])
    assert len(set(ids(res))) >= 3
    assert res.further and res.to_dict()["further"]


def test_all_mentions_count_as_evidence(matcher):
    results = matcher.match(["Kaltakquise und Angebotserstellung"])
    shown = {e.via.id for r in results for e in r.matched if e.item == "Kaltakquise und Angebotserstellung"}
    assert {"neukundenakquisition", "angebotserstellung"} <= shown


@pytest.mark.parametrize("word", ["Training", "accounting", "Leader", "Full-time", "Spelling", "Verträge",
                                  "Fachkompetenzen", "officer"])
def test_common_words_are_not_read_as_other_skills(matcher, word):
    (res,) = matcher.resolve([word])
    # a common word names a competency only when it is that competency's own name
    assert res.competency is None or res.method == "exact", (word, res.competency.id, res.method)


def test_negations_and_goals_are_not_skills(matcher):
    (res,) = matcher.resolve(["Keine SAP-Kenntnisse, aber gute Excel-Kenntnisse vorhanden"])
    assert "erp-systeme" not in ids(res)
    assert split_items("Ziel: Weiterentwicklung in den Vertrieb\nSAP") == ["SAP"]


def test_a_label_followed_by_a_dash_and_an_explanation(matcher):
    (res,) = matcher.resolve(["Verhandlungsgeschick– du bleibst auch in schwierigen Gesprächen ruhig"])
    assert res.competency is not None and res.competency.id == "verhandlungsstaerke" or \
        "verhandlungsstaerke" in ids(res)


def test_brackets_are_respected_when_splitting():
    assert split_items("Filialleitung (Mode, Innenstadt), SAP") == ["Filialleitung (Mode, Innenstadt)", "SAP"]


def test_benefits_and_company_sections_are_skipped():
    text = "Was du mitbringst:\n- Kaltakquise\nWas wir bieten:\n- Firmenwagen\n- Weiterbildung\nAnforderungen:\n- SAP"
    assert split_items(text) == ["Kaltakquise", "SAP"]


@pytest.fixture
def fixed_today(monkeypatch):
    monkeypatch.setattr(dates, "today", lambda: datetime.date(2026, 6, 15))


@pytest.mark.parametrize("text, years", [
    ("03/2018 – heute Account Manager", 8.3),
    ("2020 - Current: Sales", 6.5),
    ("seit 2022 im Außendienst", 4.5),
    ("Feb 2016 to Jan 2019 Inside Sales", 3.0),
])
def test_periods_of_work_become_years(matcher, fixed_today, text, years):
    report = matcher.report(text)
    assert report.years == pytest.approx(years, abs=0.1)


def test_overlapping_periods_count_once(matcher, fixed_today):
    report = matcher.report("2015 - 2018 Vertrieb bei A\n2017 - 2019 Vertrieb bei B\nBerufserfahrung: 2 Jahre")
    assert report.years == 5.0  # 2015-2019 is five years; the stated 2 are fewer


@pytest.mark.parametrize("text, kind, value", [
    ("Berufserfahrung: 4 Jahre", "experience", 4.0),
    ("Experience - 6 years", "experience", 6.0),
    ("Kauffrau für Büromanagement", "education", "vocational"),
    ("Kaufmann im Einzelhandel", "education", "vocational"),
])
def test_experience_and_education_as_cvs_write_them(text, kind, value):
    item = parse_item(text)
    assert item.kind == kind and (item.years if kind == "experience" else item.education) == value


def test_hints_only_when_plausible(matcher):
    for text in ("Führerschein B", "exel", "Staplerschein"):
        (res,) = matcher.resolve([text])
        assert res.competency is None and res.hint is None, text


def test_whole_cv_gates_from_its_text(matcher, fixed_today):
    cv = ("Berufserfahrung\n01/2016 – heute Key Account Manager\nAusbildung\nBachelor Betriebswirtschaft\n"
          "Kenntnisse: SAP, Salesforce, Verhandlungsgeschick\nSprachen: Deutsch (Muttersprache), Englisch fließend")
    report = matcher.report(cv)
    assert report.years == pytest.approx(10.5, abs=0.1)
    kam = next(r for r in report.results if r.role.id == "key-account-manager")
    gates = {(g.name, g.subject): g.status for g in kam.gates}
    assert gates[("years", None)] == "met" and ("language", "deutsch") in gates
    assert not [i for i in report.items if i.raw.strip() in ("Berufserfahrung", "Ausbildung")]


def test_study_periods_are_no_work_years_and_jobs_with_dates_are_jobs(matcher, fixed_today):
    cv = ("Work experience\n2019 - heute Kauffrau im Innendienst\nEducation\n2011 - 2015 BA Business Administration\n"
          "2016 - 2018 MA Marketing, Universität Graz")
    report = matcher.report(cv)
    assert report.years == pytest.approx(7.5, abs=0.1)  # 2019-01 to 2026-06; the degrees do not count
    kinds = {i.raw.strip(): i.method for i in report.items}
    assert kinds["2011 - 2015 BA Business Administration"] == "education"
    assert kinds["2019 - heute Kauffrau im Innendienst"] != "education"


def test_one_line_benefits_hobbies_and_goals_are_no_skills(matcher):
    text = ("Wir bieten: Teamarbeit, Führungsverantwortung, Weiterbildung\nHobbys: Fußball, Lesen\n"
            "Gehalt: ab 45.000 EUR\nWhat you bring\n- Kaltakquise")
    assert split_items(text) == ["Kaltakquise"]
    (goal,) = matcher.resolve(["Ziel: Führungskompetenz"])
    assert goal.method == "goal" and goal.competency is None


def test_present_tense_of_the_verbs_that_build_skill_compounds(matcher):
    (res,) = matcher.resolve(["Sie erstellt Angebote für Großkunden"])
    assert "angebotserstellung" in ids(res)


@pytest.mark.parametrize("text", ["Arbeitslos 2015 - 2020", "Verheiratet seit 2000", "Telefon: 0664 2010 - 2020",
                                  "Berufserfahrung: 99 Jahre", "2000 - 2012 Gymnasium"])
def test_periods_that_are_no_work_do_not_count(matcher, text):
    assert matcher.report(text).years is None


def test_years_of_experience_in_a_field_name_the_field(matcher):
    """`3 Jahre Berufserfahrung im Vertrieb` gives the years and sales knowledge; so does the
    sentence without a number."""
    item = matcher.resolve(["3 Jahre Berufserfahrung im Vertrieb"])[0]
    assert item.method == "experience" and item.years == 3 and "vertriebskenntnisse" in [c.id for c in item.further]
    assert matcher.resolve(["Berufserfahrung im Vertrieb"])[0].competency.id == "vertriebskenntnisse"


def test_periods_beside_a_sales_job_title_count(matcher):
    text = "Berufserfahrung\n03/2019 – heute  Verkäuferin, Muster GmbH\n01/2015 – 02/2019  Sales Manager, Beispiel AG\n"
    assert matcher.report(text).years is not None and matcher.report(text).years > 11


def test_a_describing_word_inside_a_skill_is_skipped(matcher):
    """`Negotiating complex deals` is sales negotiation; only listed describing words are skipped,
    so `and expertise` never becomes a pair."""
    assert "verkaufsverhandlung" in ids(matcher.resolve(["Negotiating complex deals"])[0])
    assert "pflege-von-kundenbeziehungen" in ids(matcher.resolve(["Aufbau langfristiger Kundenbeziehungen"])[0])
    assert matcher.resolve(["HR policies and procedures"])[0].competency is None


def test_a_label_holding_a_describing_word_wins_over_the_pair(matcher):
    """`Betreuung bestehender Kunden` is the alias of Stammkundenbetreuung, not a pair without
    `bestehender`; `key` and `neu` are never skipped (Key Accounts, Neukunden)."""
    assert matcher.resolve(["Betreuung bestehender Kunden"])[0].competency.id == "stammkundenbetreuung"
    assert matcher.resolve(["managing key accounts"])[0].competency.id == "key-account-management"


@pytest.mark.parametrize("sentence, expected", [
    ("Komplexe Verträge hast du mehrfach erfolgreich verhandelt", "vertragsverhandlung"),
    ("Verträge und Rahmenvereinbarungen haben Sie verhandelt", "vertragsverhandlung"),
    ("Neukunden im Mittelstand akquiriert", "neukundenakquisition"),
    ("Sie akquirieren neue Kunden im B2B-Umfeld", "neukundenakquisition"),
    ("Angebote für Geschäftskunden erstellt", "angebotserstellung"),
    ("Du wirst Kunden eigenständig betreuen", "kundenbetreuungskenntnisse"),
])
def test_a_german_verb_apart_from_its_object_names_the_compound(matcher, sentence, expected):
    """The German verb bracket: the object comes first, the participle or infinitive last, with
    pronouns, auxiliaries, adverbs and a prepositional phrase between."""
    assert expected in ids(matcher.resolve([sentence])[0])


@pytest.mark.parametrize("sentence, wrong", [
    ("Keine Verträge verhandelt", "vertragsverhandlung"),  # negated
    ("Present trending data in the monthly quality meeting", "datenpflege"),  # English: no bracket
    ("Ich rekrutiere Mitarbeiter und führe die Jahresgespräche", "mitarbeiterfuehrung"),  # a second verb, not the object's
    ("I am the key user for our LIMS and trained new lab staff", "produktschulung"),
])
def test_words_apart_pair_only_in_a_german_clause(matcher, sentence, wrong):
    assert wrong not in ids(matcher.resolve([sentence])[0])


@pytest.mark.parametrize("sentence, expected", [
    ("Neukunden akquiriert", "neukundenakquisition"), ("Kunden gewonnen", "neukundenakquisition"),
    ("Du gewinnst neue Kunden", "neukundenakquisition"), ("Verträge ausgehandelt", "vertragsverhandlung"),
    ("Mitarbeiter geführt", "mitarbeiterfuehrung"), ("Ich leitete ein Team", "mitarbeiterfuehrung"),
    ("Team aus 8 Mitarbeitern geleitet", "mitarbeiterfuehrung"), ("Kunden telefonisch beraten", "kundenberatung"),
])
def test_strong_separable_and_past_forms_build_compounds(matcher, sentence, expected):
    """akquiriert meets Akquise only in a compound; gewonnen, ausgehandelt, leitete as their nouns."""
    assert expected in ids(matcher.resolve([sentence])[0])


@pytest.mark.parametrize("sentence, wrong", [
    ("Sponsoren für den Fußballverein akquiriert", "neukundenakquisition"),  # what was acquired matters
    ("Inventur im Team geführt", "mitarbeiterfuehrung"),  # in a team, not a team
    ("Arbeit im Team. Geleitet von unserer Stationsleitung", "mitarbeiterfuehrung"),
    ("Im Umgang mit Kunden geschult", "produktschulung"),  # trained, not training customers
    ("Ich wurde im Umgang mit schwierigen Kunden geschult", "produktschulung"),
    ("Verträge hat er verhandelt", "vertragsverhandlung"),  # someone else
    ("Verträge wurden im Vorstand verhandelt", "vertragsverhandlung"),  # passive
    ("Kunden im Bereich Schulung", "produktschulung"),  # no verb
    ("Account Management or a customer-facing role", "kundenbetreuungskenntnisse"),  # no compound across `or`
])
def test_a_noun_and_verb_that_are_no_object_and_its_verb(matcher, sentence, wrong):
    assert wrong not in ids(matcher.resolve([sentence])[0])


@pytest.mark.parametrize("sentence, expected", [
    ("Du leitest ein Team von 6 Account Managern", "mitarbeiterfuehrung"),  # du-form of any verb
    ("Team geleitet", "mitarbeiterfuehrung"),  # ge-participle
    ("Kunden in der Nutzung unserer Software geschult", "produktschulung"),
    ("Du bist erste Ansprechperson für unsere Kunden", "kundenbetreuungskenntnisse"),  # a possessive is a filler
    ("Negotiated contracts with vendors", "vertragsverhandlung"),  # negotiated, negotiating, negotiation
    ("Maintain and build relationships with new and existing clients", "pflege-von-kundenbeziehungen"),
])
def test_verb_forms_and_determiners_of_everyday_cv_sentences(matcher, sentence, expected):
    assert expected in ids(matcher.resolve([sentence])[0])


@pytest.mark.parametrize("sentence, wrong", [
    ("Unterstützung der Vertriebsleitung bei Kundenterminen", "mitarbeiterfuehrung"),  # someone else's leadership
    ("Process supplier invoices and manage accounts payable", "kundenbetreuung-im-vertrieb"),  # bookkeeping
    ("Regular QBR presentations to customer leadership teams", "mitarbeiterfuehrung"),  # a group of people
])
def test_what_someone_else_does_or_another_term_is_not_read(matcher, sentence, wrong):
    assert wrong not in ids(matcher.resolve([sentence])[0])


def test_leadership_beside_its_team_in_brackets_is_still_leadership(matcher):
    assert "mitarbeiterfuehrung" in ids(matcher.resolve(["People leadership (team of 6 account executives)"])[0])


@pytest.mark.parametrize("sentence, expected", [
    ("Betreuung und Pflege eines festen Kundenstamms", "kundenbetreuung-im-vertrieb"),
    ("Gewinnung neuer Kunden im Verkaufsgebiet", "neukundenakquisition"),  # a verbal noun and its object
])
def test_a_verbal_noun_apart_from_its_object(matcher, sentence, expected):
    assert expected in ids(matcher.resolve([sentence])[0])


@pytest.mark.parametrize("sentence, wrong", [
    ("Models used by the B2B sales team", "vertriebskenntnisse"),  # whom the work serves
    ("Reported to marketing and customer care stakeholders", "kundenbetreuungskenntnisse"),  # people
])
def test_whom_the_work_serves_is_not_read(matcher, sentence, wrong):
    assert wrong not in ids(matcher.resolve([sentence])[0])


def test_working_alongside_is_not_doing(matcher):
    """`directly with`, `in enger Zusammenarbeit mit`: alongside someone; a bare `worked with` a
    tool or key accounts is the work itself."""
    assert "key-account-management" not in ids(matcher.resolve(
        ["Worked directly with our largest clients' technical teams during integration projects"])[0])
    assert "key-account-management" not in ids(matcher.resolve(["in enger Zusammenarbeit mit dem Key Account Management"])[0])
    assert "key-account-management" in ids(matcher.resolve(["Worked with key accounts such as Metro and Rewe"])[0])
    assert "customer-relationship-management" in ids(matcher.resolve(["Worked with CRM systems daily"])[0])
    assert "key-account-management" in ids(matcher.resolve(["Du betreust unsere Top-Kunden"])[0])


@pytest.mark.parametrize("sentence, wrong", [
    ("Zuarbeit für die Vertriebsleitung", "mitarbeiterfuehrung"), ("Supported the team lead", "mitarbeiterfuehrung"),
    ("Berichtet an die Vertriebsleitung", "mitarbeiterfuehrung"),
    ("Presented results to senior leadership", "mitarbeiterfuehrung"),
    ("Never led a team", "mitarbeiterfuehrung"), ("Ich möchte künftig ein Team leiten", "mitarbeiterfuehrung"),
    ("Looking to move into key account management", "key-account-management"),
    ("Built strong relationships with parents", "pflege-von-kundenbeziehungen"),
    ("Ein Team, das von der Pflegedirektion geleitet wird", "mitarbeiterfuehrung"),
    ("Zuarbeit für die Betreuung wichtiger Kunden", "kundenbetreuungskenntnisse"),  # a pair around a describing word
    ("Übergabe von Upsell-Chancen an das Account Management", "kundenbetreuung-im-vertrieb"),  # handed over
    ("handed over to key account management", "key-account-management"),
    ("Qualifizierte Leads an das Key Account Management übergeben", "key-account-management"),  # the verb last
])
def test_someone_elses_work_a_wish_or_a_negation_is_not_read(matcher, sentence, wrong):
    assert wrong not in ids(matcher.resolve([sentence])[0])


@pytest.mark.parametrize("sentence, expected", [
    ("Unterstützung bei der Angebotserstellung", "angebotserstellung"),  # helping with the work is doing it
    ("Team von 5 Account Managern geführt", "mitarbeiterfuehrung"), ("Personalverantwortung", "mitarbeiterfuehrung"),
    ("Supervised a team of 10 sales reps", "mitarbeiterfuehrung"),
])
def test_leading_and_helping_with_the_work(matcher, sentence, expected):
    assert expected in ids(matcher.resolve([sentence])[0])


@pytest.mark.parametrize("line, role", [
    ("Senior Key Account Manager, Metro AG, 2016 - heute", "key-account-manager"),  # a scope before a title
    ("National Key Account Manager, Rewe, 2016 - heute", "key-account-manager"),
    ("Customer Success Managerin, SaaS GmbH, 2016 - heute", "customer-success-manager"),  # the feminine form
    ("Senior Account Managerin, Firma GmbH, 2016 - heute", "senior-account-manager"),  # a title of its own
])
def test_title_lines_with_a_scope_or_a_feminine_form(matcher, line, role):
    assert matcher.match(line + "\nCRM")[0].role.id == role


def test_a_feminine_agent_noun_folds_to_the_title():
    from matcher.normalise import key
    assert key("Account Managerin") == key("Account Manager") and key("Beraterinnen") == key("Berater")


@pytest.mark.parametrize("sentence, wrong", [
    ("Office manager at a dental practice", "buerosoftware-anwendungskenntnisse"),  # a job, not the software
    ("Front Office Supervisor", "buerosoftware-anwendungskenntnisse"),  # a place
    ("Reporting to the Head of Sales", "reporting"),  # a line manager
    ("Reports to the Director of Sales", "reporting"),
    ("Managed 6 direct reports", "reporting"),  # the people one leads
])
def test_a_place_a_job_or_a_line_manager_is_no_skill(matcher, sentence, wrong):
    assert wrong not in ids(matcher.resolve([sentence])[0])


@pytest.mark.parametrize("sentence", [
    "Lead a small team of account executives", "Du leitest ein kleines Team", "manage a small team",
    "Führung eines wachsenden Teams", "lead a cross-functional team", "Teamverantwortung", "5 direct reports",
])
def test_a_word_describing_the_team_does_not_hide_the_leadership(matcher, sentence):
    assert "mitarbeiterfuehrung" in ids(matcher.resolve([sentence])[0])


def test_describing_words_stay_where_they_name_the_skill(matcher):
    # only before a word for a group of people: `large customers` is Key Account Management
    assert ids(matcher.resolve(["large customers"])[0]) == ["key-account-management"]
    assert "reporting" in ids(matcher.resolve(["weekly reports to the director"])[0])


@pytest.mark.parametrize("line", [
    "no team responsibility", "no direct reports", "ohne Führungsverantwortung", "Teamverantwortung: keine",
    "Personalverantwortung: nein", "keine Erfahrung in der Führung eines Teams", "no experience in team leadership",
    "Together with my team lead I contact new advertisers", "Gemeinsam mit meinem Teamleiter betreue ich Kunden",
    "interested in leading a team", "Wunsch: Teamleitung", "Reports to: Head of Sales",
    # a person who leads, named in one's own line, is someone else
    "Feedbackgespräche mit meiner Führungskraft", "Abstimmung mit dem Abteilungsleiter", "Vorgesetzter: Head of Sales",
    "Thesis supervisor: Prof. Smith", "Escalated complaints to the supervisor",
])
def test_denied_wished_or_someone_elses_leadership_is_none(matcher, line):
    assert "mitarbeiterfuehrung" not in ids(matcher.resolve([line])[0])


@pytest.mark.parametrize("line", [
    "Erfahrung als Führungskraft", "Ich leitete ein kleines Team", "Led 3 account managers",
    "oversaw a team of 7", "Responsible for a team of 6 account managers", "5 account managers report to me",
    "2018 – 2024 Head of Sales DACH", "Du bist disziplinarisch verantwortlich für 5 Mitarbeitende",
])
def test_leading_people_as_cvs_and_adverts_say_it(matcher, line):
    assert "mitarbeiterfuehrung" in ids(matcher.resolve([line])[0])


@pytest.mark.parametrize("line", [
    "The role reports to the Head of Sales", "You will report to the Sales Director", "reports into the VP Sales",
    "reports to the Sales Manager",
])
def test_a_line_manager_is_no_reporting_skill(matcher, line):
    assert ids(matcher.resolve([line])[0]) == []


@pytest.mark.parametrize("line", ["IT B2", "pc"])
def test_a_short_word_left_of_a_label_is_no_label(matcher, line):
    # `IT skills` without its quality word is no `IT` (Italian B2 in a language list)
    assert ids(matcher.resolve([line])[0]) == []


@pytest.mark.parametrize("line", ["2016 - 2024 Account Supervisor, Acme Ltd", "2018 – 2024 Head of Sales DACH",
                                  "Teamleiter Account Management"])
def test_a_supervisors_title_on_its_line_shows_leading_staff(matcher, line):
    # a role's title names what the role must show (`gates.shows`): a supervisor leads staff
    assert "mitarbeiterfuehrung" in ids(matcher.resolve([line])[0])


@pytest.mark.parametrize("line, skill", [
    ("Zusammen mit dem Vertriebsteam Neukunden akquiriert", "neukundenakquisition"),  # own work after `mit X`
    ("Präsentationen an Kunden", "abhalten-von-kundenpraesentationen"),  # `an` without a handing over
    ("Worked together with marketing on lead generation and cold calling", "neukundenakquisition"),
    ("Nicht-Muttersprachler: Englisch C1", "englisch"), ("Non-Food-Verkauf", "verkaufskenntnisse"),
])
def test_working_with_others_or_a_negating_prefix_keeps_ones_own_skill(matcher, line, skill):
    assert skill in ids(matcher.resolve([line])[0])


@pytest.mark.parametrize("text, years", [
    ("Werkstudentin Vertrieb, ACME GmbH, 01/2019 – 12/2022", None),  # a student's job, on one line
    ("01/2019 – 12/2022\nWerkstudentin Vertrieb\nACME GmbH", None),  # or its period on a line of its own
    ("Sales Intern, ACME Ltd., Jan 2019 – Dec 2022", None),
    ("Account Manager bei Student Jobs Austria GmbH, 01/2019 – 12/2022", 4.0),  # a job for students is a job
    ("Key Account Manager nach Abschluss des Studiums, 01/2019 – 12/2022", 4.0),
    ("Hochschule Wien, B.A. Betriebswirtschaft, 2019 – 2023", None),  # the degree's period
    ("BA (Hons) Business Management, 2:1 · 2020 – 2023", None),  # a grade between the degree and its period
    ("Account Manager\nACME GmbH\nSept. 2023 – heute (9 Monate)", 0.8),  # as long as the CV says
    ("Account Manager\nACME GmbH\nOct 2023 – Present · 8 mos", 0.7),
    ("2015 – 2019\nB.A. Betriebswirtschaftslehre\n2019 – heute\nKey Account Manager", 7.9),  # periods above heads
    ("Werkstudent Vertrieb\nACME GmbH\n10/2017 – 09/2019\nAccount Manager\nACME GmbH\n10/2019 – heute", 7.2),
    ("01/2020 – 12/2022\nSabbatical\n01/2023 – heute\nSenior Account Manager, Beta AG", 3.9),  # time away
    ("Key Account Manager Intern. Lebensmittelhandel\nACME GmbH\n2016 – heute", 10.9),  # international
])
def test_years_of_work_count_jobs_not_studies(matcher, text, years):
    assert matcher.report(text).years == years


@pytest.mark.parametrize("line, title", [
    ("Head of Sales DACH", True), ("Head of Sales Support", False), ("Head of Sales Operations", False),
])
def test_a_word_after_a_title_can_make_it_another_job(matcher, line, title):
    assert (matcher.resolve([line])[0].method == "title") is title


@pytest.mark.parametrize("text, years", [
    ("Account Manager\n03/2019 – bis heute", 7.8), ("Account Manager\n01.03.2016 – 01.02.2019", 3.0),
    ("Account Manager\nab 2019", 7.9),
])
def test_periods_as_german_cvs_write_them(matcher, text, years):
    assert matcher.report(text).years == years


def test_an_application_line_is_no_section_to_skip(matcher):
    items = matcher.pipeline.split("Bewerbung als Key Account Manager\nKundenbetreuung, CRM")
    assert items == ["Bewerbung als Key Account Manager", "Kundenbetreuung", "CRM"]
