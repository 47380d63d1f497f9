"""Resolution accuracy on ../shared/eval/skills_dev.csv and role ranking on roles_dev.csv.

Targets (issue 3): >= 95 % of positive rows resolved to an acceptable label, every negative
row unrecognised; the expected role in the top 2 for each CV, no role above 30 % for CVs from
other trades. Prints failures so they can be investigated (and generalised, never special-cased).
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from matcher import Matcher

EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval"


def main() -> int:
    m = Matcher()
    rows = list(csv.DictReader((EVAL / "skills_dev.csv").open(encoding="utf-8")))
    pos_ok = pos = neg_ok = neg = 0
    for row in rows:
        expected = set(filter(None, row["expected"].split("|")))
        r = m.resolve([row["text"]])[0]
        label = r.competency.label_de if r.competency else None
        if expected:
            pos += 1
            pos_ok += label in expected
        else:
            neg += 1
            neg_ok += label is None
        if (label in expected) if expected else label is None:
            continue
        print(f"  miss: {row['text']!r} -> {label} ({r.method}), expected {sorted(expected) or 'nothing'}")
    print(f"skills: positives {pos_ok}/{pos} = {100 * pos_ok / pos:.1f} %  (target >= 95 %)")
    print(f"skills: negatives unrecognised {neg_ok}/{neg}  (target all)")
    ok_roles = 0
    role_rows = list(csv.DictReader((EVAL / "roles_dev.csv").open(encoding="utf-8")))
    for row in role_rows:
        results = m.match(row["cv"], years=float(row["years"]))
        ranked = [(r.role.id, round(r.fit, 1)) for r in results]
        good = (row["expected_top"] in [r[0] for r in ranked[:2]]) if row["expected_top"] \
            else all(f <= 30 for _, f in ranked)
        ok_roles += good
        print(f"  {'ok ' if good else 'BAD'} expected {row['expected_top'] or '(none > 30 %)'}: {ranked[:3]}")
    print(f"roles: {ok_roles}/{len(role_rows)} CVs ranked as expected")
    return 0 if pos_ok / pos >= 0.95 and neg_ok == neg and ok_roles == len(role_rows) else 1


if __name__ == "__main__":
    sys.exit(main())
