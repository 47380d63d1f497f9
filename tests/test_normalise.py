import pytest

from matcher.normalise import key, slugify, stem


@pytest.mark.parametrize(("a", "b"), [
    ("Kommunikationsstaerke", "Kommunikationsstärke"),
    ("Key-Account-Manager", "key account manager"),
    ("Key-Account-ManagerIn", "Key Account Manager"),
    ("Manager/in", "Manager"), ("Manager*in", "Manager"), ("Manager:in", "Manager"), ("Manager_innen", "Manager"),
    ("GROSSHANDEL", "Großhandel"), ("Café", "cafe"), ("Verkaufsrepräsentantln", "Verkaufsrepräsentant"),
    ("ＳＡＰ", "SAP"),  # full-width letters (NFKC)
    ("Daten\u200bpflege", "Datenpflege"),  # zero-width space
])
def test_variants_share_a_key(a, b):
    assert key(a) == key(b)


def test_verbs_in_eln_keep_their_ending():
    """The OCR fold of a binnen-I ("Beraterln") leaves the verbs in -eln whole."""
    assert key("Verträge verhandeln") == "vertraege verhandeln" and key("Beraterln") == "berater"


def test_key_keeps_plus_and_hash():
    assert key("C++") == "c++" and key("C#") == "c#"


@pytest.mark.parametrize(("a", "b"), [
    ("verhandlungen", "verhandlung"), ("praesentationen", "praesentation"), ("analyses", "analysis"),
    ("organisation", "organization"), ("techniken", "technik"),
    ("verhandeln", "verhandlung"), ("entwickeln", "entwicklungen"),  # the noun drops the verb's e
    ("verhandler", "verhandlung"), ("auftragsabwicklerin", "auftragsabwicklung"), ("verhandelt", "verhandeln"),
    ("negotiated", "negotiation"), ("processed", "processing"), ("coordinated", "coordination"),  # a CV's past tense
])
def test_stem_merges_inflections(a, b):
    assert stem(a) == stem(b)


@pytest.mark.parametrize("text", ["../../etc/passwd", "/absolute/path", "a\\b", "..", "", "Ümlaut Größe"])
def test_slugs_cannot_escape_a_directory(text):
    slug = slugify(text)
    assert slug and all(ch.isalnum() or ch == "-" for ch in slug) and "/" not in slug and ".." not in slug
