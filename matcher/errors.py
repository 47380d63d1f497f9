"""Exceptions the CLI turns into one clear message and an exit status, never a traceback.

Every error carries what was wrong and how to fix it, because the people who hit them (HR
staff with an export, a counsellor with a pasted CV) cannot read a stack trace.
"""

from __future__ import annotations


class MatcherError(Exception):
    """Base class. `exit_code` follows the CLI convention: 2 usage, 1 data."""

    exit_code = 1

    def __init__(self, message: str, *, fix: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fix = fix

    def __str__(self) -> str:
        return f"{self.message}\n  fix: {self.fix}" if self.fix else self.message


class UsageError(MatcherError, ValueError):
    """The caller asked for something that cannot be done (unknown role id, empty input)."""

    exit_code = 2


class InputError(MatcherError, ValueError):
    """An input file or text could not be read or understood."""


class DataError(MatcherError, ValueError):
    """The competency tree, role profiles or courses are invalid.

    Holds every problem found, not just the first, so a user fixing a data file sees the
    whole list at once.
    """

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        head = f"invalid data ({len(self.problems)} problem{'s' if len(self.problems) != 1 else ''}):"
        super().__init__("\n".join([head, *(f"  - {p}" for p in self.problems)]))


class ImportError_(MatcherError, ValueError):
    """A BIS page could not be imported; the overlay is left unchanged."""
