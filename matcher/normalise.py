"""Text normalisation shared by the resolver, the loader's collision check and the importer.

Everything that compares two skill strings goes through `key()`, so a label in the data and
what a user types meet in the same form: NFKC, case-folded, umlauts and ß folded
(`Kommunikationsstaerke` = `Kommunikationsstärke`), other diacritics dropped, German gender
forms removed (`ManagerIn`, `Manager/in`, `Manager*in`, `Manager:in`), hyphens and
punctuation as spaces (`Key-Account` = `Key Account`).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "ẞ": "ss", "Ä": "ae", "Ö": "oe", "Ü": "ue"})

# Gender forms: "ManagerIn", "ManagerInnen" (word-final capital I after a lower-case letter),
# and the separators "/in", "/-in", "*in", ":in", "_in", "(in)" with their plurals.
_GENDER_SEPARATED = re.compile(r"(?<=\w)(?:/-?|\*|:|_|\()(?:in|innen)\)?(?=\W|$)", re.IGNORECASE)
_GENDER_BINNEN_END = re.compile(r"(?<=[a-zäöüß])(?:In|Innen)(?=\W|$)")
_GENDER_BINNEN_MID = re.compile(r"(?<=[a-zäöüß])Innen(?=[a-zäöüß])")
_GENDER_FEMININE = re.compile(r"(?<=[a-zäöüß]er)in(?:nen)?(?=\W|$)")  # Managerin, Beraterinnen: the agent noun
# OCR and machine translation render the binnen-I as a lower-case l ("VerkaufsrepräsentantIn"
# arrives as "Verkaufsrepräsentantln"): fold that too, only word-finally after a lower-case letter
# other than e, for "ln" ends no German word but the verbs in -eln (verhandeln, entwickeln).
_GENDER_OCR = re.compile(r"(?<=[a-df-zäöüß])ln(?=\W|$)")

_NON_WORD = re.compile(r"[^0-9a-z+#]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def clean(text: str) -> str:
    """NFKC and remove control, zero-width and bidi-override characters; keeps case."""
    return _CONTROL.sub("", unicodedata.normalize("NFKC", text))


def degender(text: str) -> str:
    """Remove German gender suffixes so `KundenberaterIn` and `Kundenberater` compare equal."""
    text = _GENDER_SEPARATED.sub("", text)
    text = _GENDER_BINNEN_MID.sub("en", text)
    text = _GENDER_BINNEN_END.sub("", text)
    text = _GENDER_FEMININE.sub("", text)
    return _GENDER_OCR.sub("", text)


def fold(text: str) -> str:
    """Case- and accent-insensitive form: umlauts to ae/oe/ue, ß to ss, diacritics dropped."""
    text = degender(clean(text)).translate(_UMLAUTS).casefold().translate(_UMLAUTS)
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def key(text: str) -> str:
    """The comparison key: folded, punctuation and hyphens as single spaces.

    Cached for phrase-sized text, which repeats (batch exports, labels); a pasted page is
    computed, never kept, so memory stays bounded whatever is pasted."""
    return _key_cached(text) if len(text) <= _CACHED_CHARS else _key(text)


_CACHED_CHARS = 320


def _key(text: str) -> str:
    return _NON_WORD.sub(" ", fold(text)).strip()


_key_cached = lru_cache(maxsize=65536)(_key)


def slugify(text: str) -> str:
    """A stable id from a German term: `Kundenbetreuungskenntnisse` -> `kundenbetreuungskenntnisse`.

    Only [a-z0-9-] survive, so a slug can never name a path outside the data directory.
    """
    slug = re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")
    return slug or "x"


# A light stemmer for German and English inflection, enough to make plural, verb-noun, tense and
# case forms meet (`Verkaufsverhandlungen`/`Verkaufsverhandlung`, `erstellen`/`Erstellung`,
# `analyses`/`analysis`, `negotiated`/`negotiation`, `processed`/`processing`). Aggressive stemmers (Snowball) merge too much for short skill names.
# Longest suffix first, so singular and plural meet (`Präsentation`, `Präsentationen`).
_SUFFIXES = tuple(sorted((
    "ationen", "ations", "ation", "ating", "ates", "ated", "ungen", "ungs", "ung", "ieren", "ierst", "iert", "ings", "ing", "ed",
    "erinnen", "erin", "ies", "ern", "en", "es", "er", "e", "s", "n",
), key=len, reverse=True))


def stem(token: str) -> str:
    """Cached for word-sized tokens only (see `key`)."""
    if len(token) <= 4 or token.isdigit():
        return token
    return _stem_cached(token) if len(token) <= 64 else _stem(token)


def _stem(token: str) -> str:
    """One suffix off; an inflected participle loses its ending, then its `-iert` as the bare
    one does (`kundenorientierte` -> `kundenorientiert` -> `kundenorient`)."""
    out = _strip_suffix(token)
    if out != token and out.endswith("iert") and len(out) >= 8:
        out = _strip_suffix(out)
    return out


def _strip_suffix(token: str) -> str:
    if token.endswith("yses"):  # analyses -> analys
        return token[:-2]
    if token.endswith("ysis"):  # analysis -> analys
        return token[:-2]
    if token.endswith("ise") or token.endswith("ize"):  # organise/organize -> organis
        return token[:-3] + "is"
    if token.endswith("isation") or token.endswith("ization"):
        return token[:-7] + "is"
    if len(token) >= 9 and token.endswith(("elt", "elst")):  # verhandelt, verhandelst: as verhandeln
        return token[:token.rindex("el") + 2]
    for suffix in _SUFFIXES:
        if token.endswith(suffix) and len(token) - len(suffix) >= 4:
            out = token[: -len(suffix)]
            if suffix == "ies":
                out += "y"
            elif suffix in _LOST_E_SUFFIXES and _LOST_E.search(out):
                out = out[:-1] + "el"  # verhandlung, Verhandler -> verhandel, as verhandeln; Entwicklung, Entwickler
            return out
    return token


# A noun in -ung or -er from a verb in -eln loses the verb's e (verhandeln, Verhandlung, Verhandler;
# entwickeln, Entwicklung, Entwickler): a consonant before the l, not h (Zahlung, zahlen) nor l
# (Erstellung, erstellen)
_LOST_E = re.compile(r"[bcdfgkmnpstvwxz]l$")
_LOST_E_SUFFIXES = frozenset(("ung", "ungen", "ungs", "er", "ern", "erin", "erinnen"))  # and the agent nouns


_stem_cached = lru_cache(maxsize=65536)(_stem)
