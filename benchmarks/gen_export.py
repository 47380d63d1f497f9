"""Synthetic HR exports for tests, the bundled sample and the batch benchmark.

A skewed (Zipf-like) vocabulary of skill strings as people write them: German and English,
typos, abbreviations, level and years annotations, bullets, and skills from other trades;
a few broken rows (empty skills, missing id, duplicate id) so that every path is exercised.
Deterministic for a given seed.

    python benchmarks/gen_export.py OUT.csv --rows 100000 [--seed 1] [--delimiter ';' --encoding cp1252]
"""

from __future__ import annotations

import argparse
import csv
import random

BASE = [
    "Kaltakquise", "Neukundenakquise", "new customer acquisition", "SAP", "SAP SD", "CRM", "Salesforce", "HubSpot",
    "MS Office", "Excel", "MS Excel - sehr gut", "Verhandlungsgeschick", "Vertragsverhandlungen", "price negotiations",
    "Key Account Management", "KAM", "Marktanalysen", "market analysis", "Wettbewerbsanalyse", "Englisch C1",
    "English (fluent)", "Deutsch Muttersprache", "Reporting", "Kostenplanung", "Projektmanagement", "Teamleitung",
    "Beschwerdemanagement", "complaint management", "Reklamationsbearbeitung", "customer care", "Kundenbetreuung",
    "Kundenservice", "customer support", "Präsentationen", "Kundenpräsentationen halten", "Webinare abhalten",
    "Kommunikationsstärke", "communication skills", "Organisationstalent", "Reisebereitschaft", "Empathie",
    "analytisches Denken", "Entscheidungsstärke", "Social Media", "Online-Marketing", "Dokumentation",
    "Angebotserstellung", "Auftragsabwicklung", "order processing", "After-Sales", "Pre-Sales", "Produktschulungen",
    "Onboarding", "Problemlösung", "Serviceorientierung", "Vertriebserfahrung", "Sales Pipeline Management",
    "Entwicklung von Vertriebsstrategien", "Statistische Datenanalyse", "ERP-Systeme", "Dynamics 365",
    "Krankenpflege", "Staplerschein", "Python", "Buchhaltung", "Schweißen", "Führerschein B",
]
TYPOS = {"Beschwerdemanagement": "Beschwerdemanagment", "Neukundenakquise": "Neukundenaquise",
         "Kommunikationsstärke": "Kommunikationsstaerke", "Verhandlungsgeschick": "Verhandlungsgeschik",
         "Marktanalysen": "Marktanalyse", "Projektmanagement": "Projekt-Management"}


def vocabulary(rng: random.Random) -> list[str]:
    words = list(BASE)
    for bad in TYPOS.values():
        words.append(bad)
    for w in BASE[:30]:
        words.append(f"{w} ({rng.randint(1, 9)} Jahre)")
        words.append(f"• {w}")
    return words


def rows(n: int, seed: int = 1, skills_per_row: int = 8):
    rng = random.Random(seed)
    vocab = vocabulary(rng)
    weights = [1.0 / (i + 1) ** 0.9 for i in range(len(vocab))]
    for i in range(n):
        ident = f"E{100000 + i}"
        k = max(1, int(rng.gauss(skills_per_row, 2)))
        skills = list(dict.fromkeys(rng.choices(vocab, weights=weights, k=k)))
        cell = "; ".join(skills)
        r = rng.random()
        if r < 0.003:
            cell = ""
        elif r < 0.005:
            ident = ""
        elif r < 0.007 and i > 0:
            ident = f"E{100000 + i - 1}"
        yield ident, cell, rng.randint(0, 15)


def write(path: str, n: int, seed: int = 1, delimiter: str = ",", encoding: str = "utf-8",
          header: tuple[str, str, str] = ("employee_id", "skills", "years")) -> None:
    with open(path, "w", encoding=encoding, newline="") as fh:
        w = csv.writer(fh, delimiter=delimiter)
        w.writerow(header)
        for ident, cell, years in rows(n, seed):
            w.writerow([ident, cell, years])


if __name__ == "__main__":
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("out")
    p.add_argument("--rows", type=int, default=200)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--delimiter", default=",")
    p.add_argument("--encoding", default="utf-8")
    p.add_argument("--german-header", action="store_true", help="Personalnummer;Kompetenzen;Berufserfahrung")
    a = p.parse_args()
    hdr = ("Personalnummer", "Kompetenzen", "Berufserfahrung") if a.german_header else ("employee_id", "skills", "years")
    write(a.out, a.rows, a.seed, a.delimiter.replace("\\t", "\t"), a.encoding, hdr)
