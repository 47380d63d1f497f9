"""The counsellor page served by `matcher serve` (no build step, no network)."""
