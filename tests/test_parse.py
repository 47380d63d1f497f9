import pytest

from matcher.parse import parse, parse_item, split_items


def test_split_bullets_commas_semicolons_pipes_and_numbering():
    text = "• Verhandlungsgeschick; SAP | CRM\n1. Marktanalysen\n- Kaltakquise, Excel\n* Reporting\n\n"
    assert split_items(text) == ["Verhandlungsgeschick", "SAP", "CRM", "Marktanalysen", "Kaltakquise", "Excel",
                                 "Reporting"]


def test_heading_groups_and_heading_lines():
    assert split_items("Skills:\nSprachen: Englisch, Französisch\nKenntnisse & Fähigkeiten\nSAP") == [
        "Englisch", "Französisch", "SAP"]


def test_level_after_colon_is_not_a_group():
    assert split_items("Englisch: C1") == ["Englisch: C1"]


def test_decimal_comma_is_not_a_separator():
    assert split_items("2,5 Jahre Vertrieb") == ["2,5 Jahre Vertrieb"]


@pytest.mark.parametrize(("raw", "text", "level", "years"), [
    ("- Salesforce (4 Jahre)", "Salesforce", None, 4.0),
    ("• Marktanalysen – sehr gut", "Marktanalysen", "C1", None),
    ("Englisch: C1", "Englisch", "C1", None),
    ("Englisch (B2)", "Englisch", "B2", None),
    ("Excel – sehr gut", "Excel", "C1", None),
    ("SAP (advanced)", "SAP", "C1", None),
    ("3 years of SAP", "SAP", None, 3.0),
    ("Englisch fließend", "Englisch", "C1", None),
    ("fluent English", "English", "C1", None),
    ("Deutsch Muttersprache", "Deutsch", "C2", None),
    ("Verhandlungsgeschick - 5 Jahre", "Verhandlungsgeschick", None, 5.0),
    ("Key-Account-Management.", "Key-Account-Management", None, None),
    ("CRM (Salesforce)", "CRM (Salesforce)", None, None),
])
def test_annotations_are_stripped_and_kept(raw, text, level, years):
    item = parse_item(raw)
    assert (item.text, item.level, item.years, item.kind) == (text, level, years, "skill")


@pytest.mark.parametrize(("raw", "kind", "value"), [
    ("6 Jahre Berufserfahrung", "experience", 6.0),
    ("10+ years of experience", "experience", 10.0),
    ("Bachelor BWL", "education", "bachelor"),
    ("kaufmännische Lehre", "education", "vocational"),
    ("Master of Science", "education", "master"),
    ("Matura HAK", "education", "matura"),
])
def test_gate_evidence_is_not_a_skill(raw, kind, value):
    item = parse_item(raw)
    assert item.kind == kind
    assert (item.years if kind == "experience" else item.education) == value


def test_list_input_is_not_split():
    items = parse(["MS Word, Excel, PowerPoint", "SAP"])
    assert [i.text for i in items] == ["MS Word, Excel, PowerPoint", "SAP"]


def test_long_items_are_cut_and_flagged():
    item = parse_item("Vertrieb " * 100)
    assert item.truncated and len(item.text) <= 300


def test_a_period_cut_by_a_line_break_is_one_span():
    """Text copied from a PDF CV often breaks a period after its "to"; the span still counts."""
    items = split_items("Business Development Consultant 01/2015 to\nCurrent\nRecruiter 01/2014 to\n01/2015\n"
                        "Vertrieb bis\n2020 neue Kunden")
    assert items[:2] == ["Business Development Consultant 01/2015 to Current", "Recruiter 01/2014 to 01/2015"]
    assert items[2:] == ["Vertrieb bis", "2020 neue Kunden"]  # no year before "bis": not a cut period
    assert parse_item(items[1]).span is not None


def test_years_in_a_sentence_read_alike_in_cvs_and_adverts():
    """One pattern for both: a range gives its first number, words may stand between."""
    assert parse_item("with 7 years of experience in B2B sales").experience == 7
    assert parse_item("3-5 years of relevant sales experience").experience == 3
    assert parse_item("mindestens 3 Jahre einschlägige Berufserfahrung im Vertrieb").experience == 3
    assert parse_item("2 Jahre im Ausland").experience is None


@pytest.mark.parametrize("text, years", [
    ("1,5 Jahre Erfahrung im Vertrieb", 1.5), ("2.5 years of sales experience", 2.5),
    ("3 to 5 years of relevant sales experience", 3.0), ("3 bis 5 Jahre Berufserfahrung im Vertrieb", 3.0),
    ("3–5 years of sales experience", 3.0), ("4 Jahre Vertriebserfahrung", 4.0),
    ("At least 3 years’ experience in online advertising", 3.0), ("5 years' experience in sales", 5.0),
    ("weniger als 2 Jahre Berufserfahrung im Vertrieb", 1.0),  # less than 2: some, read as half
    ("18 months of experience in B2B sales", 1.5), ("18 Monate Vertriebserfahrung", 1.5),  # months, in years
    ("bis ca. 2 Jahre Berufserfahrung im Vertrieb", 1.0),  # up to about 2: some
])
def test_years_are_the_stated_number_not_a_digit_of_it(text, years):
    """A decimal comma is no separator and a range gives its first number."""
    item = parse_item(text)
    assert item.years == years and item.experience == years


@pytest.mark.parametrize("text, years", [
    ("drei Jahre Berufserfahrung im Vertrieb", 3.0), ("five years of experience in B2B sales", 5.0),
    ("mehrjährige Vertriebserfahrung", 3.0), ("several years of experience in key account management", 3.0),
    ("Du hast mehrere Jahre Erfahrung in einer leitenden Rolle gesammelt", 3.0),
    ("langjährige Erfahrung im Key Account Management", 5.0), ("3-jährige Berufserfahrung im Vertrieb", 3.0),
    ("a few years of experience in sales", 2.0), ("ein Jahr Erfahrung als Account Manager", 1.0),
    ("six months of experience in sales", 0.5),
])
def test_years_written_in_words_read_as_their_figure(text, years):
    """Number words and "mehrere"/"several" (more than two: 3) read like figures; the years stay
    out of the skill text."""
    item = parse_item(text)
    assert item.years == years
    assert not any(w in item.text.lower() for w in ("drei", "five", "mehr", "several", "lang", "few", "six"))


@pytest.mark.parametrize("text", ["langjährige Kunden betreut", "Jahresplanung", "A-Jahreskunden", "one of the years"])
def test_words_near_years_that_state_no_years_stay_as_written(text):
    """An adjective of years before customers, not experience, is no experience; a plural after
    "one" is no count."""
    item = parse_item(text)
    assert item.years is None and item.text == text


def test_the_words_around_years_stay_and_dotted_months_are_no_bullets():
    assert parse_item("Ich habe 3 Jahre Berufserfahrung im Vertrieb").text == "Ich habe Berufserfahrung im Vertrieb"
    assert parse_item("100 Jahre Berufserfahrung im Vertrieb").years is None
    assert split_items("1. Kaltakquise\n03.2019 – heute\n2.5 years of SAP") == [
        "Kaltakquise", "03.2019 – heute", "2.5 years of SAP"]
    assert parse_item("03.2019 – heute").span[0] == 2019 * 12 + 2


def test_a_word_before_a_bare_year_is_no_month():
    """`Vertrieb 2017 bis heute`: Vertrieb is the skill, 2017 the start (January)."""
    item = parse_item("Vertrieb 2017 bis heute")
    assert item.text == "Vertrieb" and item.span[0] == 2017 * 12


def test_a_cut_period_joins_only_its_own_end():
    items = split_items("Sales Manager 01/2015 to\n\nCurrent\nKAM 01/2015 to\n03/2019 Account Manager 04/2019 – heute")
    assert items == ["Sales Manager 01/2015 to Current", "KAM 01/2015 to", "03/2019 Account Manager 04/2019 – heute"]


def test_years_after_an_experience_heading_stay_with_it():
    """`Berufserfahrung: 4 Jahre, Kaltakquise`: the years are the total, the rest are skills."""
    assert split_items("Berufserfahrung: 4 Jahre, Kaltakquise") == ["Berufserfahrung: 4 Jahre", "Kaltakquise"]
    item = parse_item("Berufserfahrung im Vertrieb: 3 Jahre")
    assert item.kind == "experience" and item.years == 3
    assert split_items("Kenntnisse: SAP, CRM") == ["SAP", "CRM"]


def test_months_beside_a_skill_are_its_years():
    """Resume exports write `Skill - Experience - 36 months`."""
    item = parse_item("DIRECT SALES- Experience - 36 months")
    assert item.years == 3 and "36" not in item.text
    assert parse_item("Vertrieb: 18 Monate").years == 1.5


@pytest.mark.parametrize("text", [
    "Quereinsteigerin ohne mehrjährige Berufserfahrung", "keine drei Jahre Erfahrung im Vertrieb",  # negated
    "Key Account Manager in drei Jahren", "In 2 Jahren Account Manager", "vor 2 Jahren",  # points in time
    "two years ago I joined sales", "In deinen ersten zwölf Monaten sammelst du Erfahrung",
    "langjährige Lebenserfahrung", "mehrjährige Auslandserfahrung (Work and Travel)",  # no work
    "seit vielen Jahren unser Kunde",  # "viele Jahre" is left alone: adverts use it of the company
])
def test_numbers_of_years_that_are_no_duration_of_work(text):
    item = parse_item(text)
    assert item.years is None and item.experience is None


@pytest.mark.parametrize("text, years", [
    ("half a year of sales experience", 0.5), ("ein bis zwei Jahre Berufserfahrung im Vertrieb", 1.0),
    ("one to two years of experience in sales", 1.0), ("eineinhalb Jahre Erfahrung im Vertrieb", 1.5),
    ("one and a half years of sales experience", 1.5), ("a decade of experience in sales", 10.0),
    ("jahrzehntelange Erfahrung im Vertrieb", 10.0), ("drei Jahre Erfahrungen im Verkauf", 3.0),
])
def test_fractions_ranges_and_decades_in_words(text, years):
    item = parse_item(text)
    assert item.years == years and "Jahre" not in item.text.split()[:1]


def test_months_label_first_are_the_total():
    assert parse_item("Berufserfahrung: 18 Monate").kind == "experience"
    assert parse_item("Berufserfahrung: 18 Monate").years == 1.5


@pytest.mark.parametrize("text, years", [
    ("Nicht weniger als 5 Jahre Erfahrung im Vertrieb", 5.0), ("No less than 5 years of key account management", 5.0),
    ("knapp 3 Jahre Berufserfahrung im Vertrieb", 2.5),  # not quite 3
    ("In 5 Jahren im Key Account Management den Umsatz verdoppelt", 5.0),  # spent on something: a duration
    ("After 5 years in KAM I moved on", 5.0),
])
def test_at_least_almost_and_years_spent_on_something(text, years):
    assert parse_item(text).years == years


def test_years_in_the_middle_of_a_line_count_only_when_they_say_what_they_count():
    assert parse_item("Großkunden mit Rahmenverträgen über 5 Jahre betreut").years is None
    assert parse_item("Key Account Management seit 5 Jahren").years == 5
