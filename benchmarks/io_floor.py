"""The I/O floor for `matcher batch`: read an export with pandas, write a CSV of the same shape.

No scoring at all: the time any batch tool needs just to read the rows and write one output row
per input row with the same columns (18: row, id, status, reason, best role and fit, six role
fits, years, gate, three text columns, note). `bench_batch.py` runs it beside `matcher batch`
in the same session and reports the ratio.

    python benchmarks/io_floor.py EMPLOYEES.csv OUT.csv
"""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd


def main(src: str, dst: str) -> None:
    df = pd.read_csv(src, dtype=str, keep_default_na=False)
    n = len(df)
    rng = np.random.default_rng(0)
    out = pd.DataFrame({"row": np.arange(1, n + 1), "id": df.iloc[:, 0], "status": "ok", "reason": "",
                        "best_role": "junior-account-manager", "best_fit": np.round(rng.random(n) * 100, 1)})
    for r in range(6):
        out[f"fit_{r}"] = np.round(rng.random(n) * 100, 1)
    out["years"] = df.iloc[:, 2]
    out["years_gate"] = "met"
    out["top_missing"] = "Pflege von Kundenbeziehungen; Dokumentation; Kundenbetreuung im Vertrieb"
    out["suggested_courses"] = "Schulung Kundenbetreuung; Sales Management"
    out["unrecognised"] = df.iloc[:, 1].str.slice(0, 12)
    out["note"] = ""
    out.to_csv(dst, index=False)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
