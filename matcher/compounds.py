"""German compounds from the words a phrase spreads them over: `Angebote erstellen` is
Angebotserstellung, `Erstellung von Angeboten` too, and so are `du erstellst Angebote`,
`Team geleitet` (Teamleitung) and `Verträge verhandeln` (Vertragsverhandlung).

The resolver's compound step looks every variant up among the tree's compounds; a variant
that names nothing costs one dictionary look-up, so the rules here may overgenerate but
never decide a reading on their own.
"""

from __future__ import annotations

import re

from .normalise import stem
from .vocab import LIGHT_QUERY


def compound_variants(words: list[str], reverse: bool = True, starts: frozenset[str] | None = None) -> list[str]:
    """Ways to write two or three words as one German compound (`Angebote erstellen` ->
    `angebotserstellen`), including, with `reverse`, the reverse order of `X von Y` (`Erstellung
    von Angeboten`). Two words side by side keep their order: their last one is the head
    (`management accounts` are accounts, not `Accountmanagement`). With `starts` (the first
    four letters of every compound there is), an order whose first word starts none is not
    spelled out."""
    if not 2 <= len(words) <= 3:
        return []
    words = [infinitive(w) for w in words]  # "du erstellst Angebote": the verb as the compound has it
    orders = [words, list(reversed(words))] if len(words) == 2 and reverse else [words]
    # any German verb as its infinitive, beside the words as written: "du leitest ein Team",
    # "Team geleitet", "schulst Kunden" (Teamleitung, Kundenschulung)
    for ws in list(orders):
        verb = 0 if reverse and ws is words else -1
        bare = _bare_verb(ws[verb])
        if bare != ws[verb]:
            orders.append([bare, *ws[1:]] if verb == 0 else [*ws[:-1], bare])
    out = []
    for ws in orders:
        stems = [stem(w) for w in ws]
        # a plural with umlaut joins as its singular: Verträge verhandeln -> Vertragsverhandlung
        firsts = [stems[0], _UMLAUT_PLURAL.sub(r"\1\2", stems[0])] if _UMLAUT_PLURAL.search(stems[0]) else [stems[0]]
        if ws[0] != stems[0] and len(ws) == 2:
            firsts.append(ws[0])  # a word the stemmer shortens joins as written: Mitarbeiter geführt
        for first in firsts:
            if starts is not None and first[:4] not in starts:
                continue
            for joint in ("", "s", "n", "en"):
                out.append(stem(joint.join([first, *stems[1:-1]]) + joint + ws[-1]))
                out.append(stem(joint.join([first, *stems[1:]])))
    return out


# endings no English word before its object has: du-forms, -eln/-ern/-ieren infinitives and the
# weak past (`leitete`, `pflegte`; not the Latin -ate/-ite/-ote of `negotiate`, `write`, `promote`)
GERMAN_VERB = ("st", "eln", "ern", "ieren", "ete", "hte", "gte", "kte", "lte", "nte", "rte", "ute")
_UMLAUT_PLURAL = re.compile(r"([aou])e([^aeiou]+)$")  # the last vowel, umlauted (folded to ae, oe, ue)


def infinitive(word: str) -> str:
    """A light verb's present or past tense back to its infinitive (`erstellst`, `erstellt`,
    `erstellte`, `führte`, `bearbeitete` -> `erstellen`, `führen`, `bearbeiten`), only for the verbs
    that build skill compounds, so no noun ending in -st, -t or -te is touched."""
    if word[-1:] not in ("t", "e", "n"):
        return word
    for ending in ("eten", "ete", "ten", "te", "st", "t"):
        if word.endswith(ending) and word[:-len(ending)] + "en" in LIGHT_QUERY:
            return word[:-len(ending)] + "en"
    return word


def _bare_verb(word: str) -> str:
    """Any German verb's du-form, past or participle as its infinitive (`leitest`, `leitete`,
    `geleitet`, `ausgehandelt`, `eingearbeitet` -> `leiten`, `aushandeln`, `einarbeiten`), the
    strong verbs of CV work as their noun (`gewonnen` -> `Gewinnung`, `abgeschlossen` ->
    `Abschluss`); the word unchanged when it is none of these. Only tried as one more way to
    spell a compound, so a noun that looks like one (`Dienst`) costs a look-up, never a reading."""
    if word[-1:] not in ("t", "e", "n") and word not in STRONG_VERBS:
        return word  # no German verb form ends otherwise (gewann is the one strong past listed)
    if word in STRONG_VERBS:
        return STRONG_VERBS[word]
    if "akquir" in word:  # the Latin verb whose noun changes its stem: akquirieren, Akquise
        return word[:word.index("akquir")] + "akquise"
    prefix = next((p for p in SEPARABLE if word.startswith(p + "ge") and len(word) >= len(p) + 7), "")
    rest = word[len(prefix):]
    if len(rest) >= 7 and rest.startswith("ge") and rest.endswith("t"):
        root = rest[2:-2] if rest.endswith("et") and not rest.endswith(("iet", "eet")) else rest[2:-1]
        return prefix + _infinitive_of(root)
    for ending in ("est", "st", "ete", "te"):
        if len(word) >= 6 and word.endswith(ending) and not word.endswith(("ist", "ust", "ste")):
            root = word[:-len(ending)]
            return _infinitive_of(root) if len(root) >= 3 else word
    return word


def _infinitive_of(root: str) -> str:
    return root + "n" if root.endswith(("el", "er")) else root + "en"  # handel-n, erweiter-n, leit-en


SEPARABLE = ("ab", "an", "auf", "aus", "ein", "mit", "nach", "vor", "zu", "durch", "um", "zurueck")
# The strong verbs of CV work, in the forms a CV writes them, as the noun their compounds end in
# (curated): Kunden gewonnen = Kundengewinnung, Verträge abgeschlossen = Vertragsabschluss
STRONG_VERBS = {
    "gewonnen": "gewinnung", "gewinnst": "gewinnung", "gewann": "gewinnung", "gewinnt": "gewinnung",
    "abgeschlossen": "abschluss", "schliesst": "schluss", "abschliesst": "abschluss",
    "beraetst": "beratung", "beraet": "beratung", "beriet": "beratung", "beraten": "beratung",
    "uebernommen": "uebernahme", "besprochen": "besprechung", "geschrieben": "schreiben",
    "ausgehandelt": "verhandlung", "aushandelst": "verhandlung",  # aushandeln is verhandeln
}
