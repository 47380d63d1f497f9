"""Every size limit in one place (README "Limits and trust"), so that the documentation, the
options' defaults and the checks cannot drift apart. Each is bounded so that one hostile input
cannot take unbounded time or memory."""

MAX_INPUT_BYTES = 5 * 1024 * 1024  # one skill list from a file or stdin
MAX_TEXT_CHARS = 5 * 1024 * 1024  # one skill list passed to match()/resolve()
MAX_ITEMS = 5000  # items in one skill list; a workforce goes through `matcher batch`
MAX_ITEM_CHARS = 300  # a skill is a phrase; longer text is cut and flagged
MAX_CELL_CHARS = 10_000  # one batch skills cell; longer is an error row
MAX_PIPED_INPUT_BYTES = 4 * 1024**3  # a batch export read from a pipe is copied to a temporary file
CHUNK_ROWS = 5000  # batch rows scored at a time (memory stays flat)
MAX_PAGE_BYTES = 5 * 1024 * 1024  # one BIS page for import-bis
MAX_DATA_FILE_BYTES = 10 * 1024 * 1024  # one YAML file in the overlay
