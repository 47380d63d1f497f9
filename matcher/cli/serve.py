"""`matcher serve`: the counsellor page and the HTTP API on uvicorn (server.py)."""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING

from ..errors import InputError

if TYPE_CHECKING:  # pragma: no cover
    from ..api import Matcher


def cmd_serve(args: argparse.Namespace, m: "Matcher") -> int:
    """Check the port, say where it serves, serve; every failure a message with its fix."""
    try:
        from ..server import check_port, serve
    except ImportError as exc:
        raise InputError(f"matcher serve needs the server packages ({exc.name} is missing)",
                         fix="pip install 'matcher[server]'") from None
    m.index  # noqa: B018 - load (or build) the index now: a data error stops here, not per request
    host = f"[{args.host}]" if ":" in args.host else args.host  # an IPv6 address in a URL
    try:
        check_port(args.host, args.port)
        print(f"matcher: serving http://{host}:{args.port}/ (API docs at /docs); Ctrl-C to stop", file=sys.stderr)
        failed = serve(args.host, args.port, args.data_dir or os.environ.get("MATCHER_DATA_DIR") or None, args.workers)
    except OSError as exc:
        raise InputError(f"cannot listen on {host}:{args.port} ({exc.strerror or exc})",
                         fix="choose another --port, or stop the program that uses this one; check that --host "
                             "is an address of this machine (127.0.0.1, 0.0.0.0, ::1)") from None
    if failed:
        raise InputError(f"the server stopped: {failed} of {args.workers} worker processes ended unexpectedly",
                         fix="see the messages above; restart matcher serve")
    return 0
