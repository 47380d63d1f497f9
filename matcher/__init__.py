"""matcher: competency matching against the AMS BIS tree.

Paste a CV's skill list and get, for every role, the fit, the missing skills and the courses
that close the gap. Entry points: `match()`, `resolve()` and `Matcher` (see the README).
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["Matcher", "match", "resolve", "score_frame", "vacancy", "__version__"]


def __getattr__(name: str):  # lazy, so `import matcher` (and the CLI's --help) stays fast
    if name in ("Matcher", "match", "resolve", "score_frame", "vacancy"):
        from . import api

        return getattr(api, name)
    raise AttributeError(f"module 'matcher' has no attribute {name!r}")
