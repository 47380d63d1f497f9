"""`matcher serve`: the HTTP API for integrators and the counsellor page, in one FastAPI app.

One warm `Matcher` per process, loaded at start-up, answers every request through the same
pipeline as the CLI: `POST /api/match` returns exactly what `matcher match --json` prints.
Errors are JSON (`{"error", "fix"}`) with the status that says whose fault it was (400 bad
request, 404 unknown role, 413 too large, 415 wrong media type, 422 unusable content), never a
stack trace. Request bodies are bounded before they are read (a 6 MB body is refused from its
Content-Length, or after the first bytes over the limit when it has none); an uploaded export is
spooled to disk in chunks and the scored file streamed back from disk, so a large workforce is
never held twice in memory.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import socket
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import FastAPI, File, Query, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field, StringConstraints
from starlette.background import BackgroundTask
from starlette.exceptions import HTTPException as StarletteHTTPException

from . import __version__
from .api import Matcher
from .errors import InputError, MatcherError, UsageError
from .limits import MAX_ITEMS
from .years import MAX_YEARS
from .vacancy import MAX_ADVERT_BYTES

MAX_JSON_BYTES = 1024 * 1024  # a CV, an advert and options: far below a megabyte
MAX_UPLOAD_BYTES = 200 * 1024 * 1024  # one workforce export
UPLOAD_TYPES = {".csv": "text/csv", ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                ".parquet": "application/vnd.apache.parquet"}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


Text = Annotated[str, StringConstraints(max_length=MAX_JSON_BYTES)]
Items = Annotated[list[str], Field(max_length=MAX_ITEMS)]


class MatchRequest(_Strict):
    skills: Text | Items = Field(..., description="a CV or a skills list (text), or a list of items")
    years: float | None = Field(None, ge=0, le=MAX_YEARS, description="years of professional experience")
    roles: list[str] | None = Field(None, max_length=100, description="role ids to score (default: all)")
    vacancy: str | None = Field(None, max_length=MAX_ADVERT_BYTES, description="a job advert to score first")
    top: int | None = Field(None, ge=1, le=1000)


class ResolveRequest(_Strict):
    skills: Text | Items = Field(..., description="a CV or a skills list (text), or a list of items")


class VacancyRequest(_Strict):
    text: str = Field(..., max_length=MAX_ADVERT_BYTES, description="the job advert as text")
    title: str | None = Field(None, max_length=200)


class ErrorBody(BaseModel):
    error: str
    fix: str | None = None


ERRORS: dict[int | str, dict[str, Any]] = {code: {"model": ErrorBody} for code in (400, 404, 413, 415, 422)}


def _error(status: int, message: str, fix: str | None = None) -> JSONResponse:
    return JSONResponse({"error": message, "fix": fix}, status_code=status)


def _json(data: dict, status: int = 200) -> Response:
    """A result as JSON, encoded once (FastAPI's generic encoder walks a large result slowly)."""
    return Response(json.dumps(data, ensure_ascii=False).encode("utf-8"), status_code=status,
                    media_type="application/json")


class BodyLimit:
    """ASGI middleware: refuse a body over its limit before reading it (413), by Content-Length,
    or while it streams in when there is none; JSON endpoints also need a JSON content type (415)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["method"] not in ("POST", "PUT", "PATCH"):
            return await self.app(scope, receive, send)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        upload = scope["path"] == "/api/batch"
        limit = MAX_UPLOAD_BYTES if upload else MAX_JSON_BYTES
        kind = headers.get("content-type", "").split(";")[0].strip().lower()
        if not upload and scope["path"].startswith("/api/") and kind != "application/json":
            return await _error(415, f"the body must be JSON, got {kind or 'no content type'}",
                                "send Content-Type: application/json")(scope, receive, send)
        if upload and kind != "multipart/form-data":
            return await _error(415, f"upload the export as multipart/form-data, got {kind or 'no content type'}",
                                "e.g. curl -F file=@employees.csv .../api/batch")(scope, receive, send)
        length = headers.get("content-length", "")
        if length.isdigit() and int(length) > limit:
            return await _too_large(limit)(scope, receive, send)
        seen = 0
        refused = False

        async def bounded() -> dict:
            nonlocal seen, refused
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > limit and not refused:  # answer now; the app sees the client gone
                refused = True
                await _too_large(limit)(scope, receive, send)
                return {"type": "http.disconnect"}
            return message

        async def guarded(message: dict) -> None:
            if not refused:
                await send(message)

        await self.app(scope, bounded, guarded)


def _too_large(limit: int) -> JSONResponse:
    return _error(413, f"the request body is over the {limit:,} byte limit",
                  "send one CV or advert per request; a workforce goes to /api/batch as a file")


def create_app(data_dir: str | Path | None = None, matcher: Matcher | None = None) -> FastAPI:
    """The app over one data set; the index is loaded (and warmed) when the app starts."""
    m = matcher or Matcher(data_dir, notify=None)
    pools: list[ThreadPoolExecutor] = []  # the one scoring thread of the running app (per lifespan)

    def pool() -> ThreadPoolExecutor:
        if not pools:
            pools.append(ThreadPoolExecutor(max_workers=1, thread_name_prefix="matcher"))
        return pools[0]

    async def lifespan(app: FastAPI):  # type: ignore[no-untyped-def]
        m.match("Kaltakquise, SAP")  # load the index and warm every cache before the first request
        yield
        if pools:
            pools.pop().shutdown(wait=False)

    app = FastAPI(title="matcher", version=__version__, lifespan=lifespan,
                  description="Competency matching against the AMS BIS tree: fit per role, missing skills, courses. "
                              "The JSON of /api/match is that of `matcher match --json` (schema in the README).")
    app.add_middleware(BodyLimit)

    @app.exception_handler(MatcherError)
    async def matcher_error(_: Request, exc: MatcherError) -> JSONResponse:
        return _error(400 if isinstance(exc, UsageError) else 422, exc.message, exc.fix)

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(x) for x in first.get("loc", ()) if x != "body")
        return _error(422, f"{where or 'the request'}: {first.get('msg', 'invalid')}",
                      "see the request schema at /docs")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        return _error(exc.status_code, str(exc.detail), "see /docs for the endpoints")

    @app.exception_handler(Exception)
    async def unexpected(_: Request, exc: Exception) -> JSONResponse:  # never a stack trace to the client
        return _error(500, f"internal error ({type(exc).__name__})", "report this with the request that caused it")

    @app.get("/healthz")
    def healthz() -> dict:
        ix = m.index
        return {"status": "ok", "version": __version__, "roles": len(ix.role_ids), "competencies": len(ix.comp_ids)}

    # Scoring runs in one worker thread per process, in order: the event loop stays free to
    # accept requests and to refuse an oversized one at once, while a few milliseconds of CPU per
    # match are not spread over many threads that would only contend for the interpreter.
    async def off_loop(fn: Any, *args: Any) -> Any:
        return await asyncio.get_running_loop().run_in_executor(pool(), fn, *args)

    @app.post("/api/match", responses=ERRORS)
    async def match(req: MatchRequest) -> Response:
        return _json(await off_loop(_match, req))

    def _match(req: MatchRequest) -> dict:
        vacancy = m.vacancy(req.vacancy, source="vacancy") if req.vacancy else None  # report() refuses one not understood
        skills = req.skills
        if isinstance(skills, str) and not skills.strip() or isinstance(skills, list) and not any(skills):
            raise InputError("no skills given", fix='send e.g. {"skills": "Kaltakquise, SAP"}')
        return m.report(skills, years=req.years, roles=req.roles, top=req.top, vacancy=vacancy).to_dict()

    @app.post("/api/resolve", responses=ERRORS)
    async def resolve(req: ResolveRequest) -> Response:
        items = await off_loop(m.resolve, req.skills)
        return _json({"schema_version": 1, "items": [r.to_dict() for r in items]})

    @app.post("/api/vacancy", responses=ERRORS)
    async def vacancy(req: VacancyRequest) -> Response:
        v = await off_loop(lambda: m.vacancy(req.text, title=req.title, source="advert"))
        return _json({"schema_version": 1, "vacancy": v.to_dict()}, status=200 if v.ok else 422)

    @app.get("/api/roles")
    async def roles() -> Response:
        return _json({"schema_version": 1, "roles": [r.to_dict() for r in m.index.data.roles.values()]})

    @app.get("/api/roles/{role_id}", responses=ERRORS)
    def role(role_id: str) -> dict:
        found = m.index.data.roles.get(role_id)
        if found is None:
            return _error(404, f"unknown role id {role_id!r}", f"use one of: {', '.join(m.index.role_ids)}")
        return found.to_dict()

    @app.get("/api/taxonomy")
    async def taxonomy() -> Response:
        return _json({"schema_version": 1, "competencies": [c.to_dict() for c in m.index.data.competencies.values()]})

    @app.post("/api/batch", responses=ERRORS, response_class=FileResponse)
    def batch(file: UploadFile = File(..., description="the export: .csv, .xlsx or .parquet"),
              output: Literal["csv", "xlsx", "parquet"] = Query("csv", description="format of the scored file"),
              role: list[str] | None = Query(None, description="score only these roles")) -> Response:
        suffix = Path(file.filename or "").suffix.lower()
        if suffix not in UPLOAD_TYPES:
            return _error(415, f"unsupported export type {suffix or '(no extension)'!r}",
                          "upload a .csv, .xlsx or .parquet file")
        work = Path(tempfile.mkdtemp(prefix="matcher-batch-"))
        try:
            source = work / f"input{suffix}"
            with source.open("wb") as fh:
                shutil.copyfileobj(file.file, fh, 1 << 20)  # spooled upload to disk, in chunks
            target = work / f"scores.{output}"
            m.score_file(source, target, roles=role)
        except BaseException:
            shutil.rmtree(work, ignore_errors=True)
            raise
        name = f"{Path(file.filename or 'export').stem}.scores.{output}"
        return FileResponse(target, filename=name, media_type=UPLOAD_TYPES[f".{output}"],
                            background=BackgroundTask(shutil.rmtree, work, True))

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def page() -> HTMLResponse:
        return HTMLResponse(_asset("index.html"))

    @app.get("/static/{name}", include_in_schema=False)
    def static(name: str) -> Response:
        kinds = {"app.js": "text/javascript", "app.css": "text/css"}
        if name not in kinds:
            return _error(404, f"no such file {name!r}", "the page needs only app.js and app.css")
        return Response(_asset(name), media_type=kinds[name], headers={"Cache-Control": "max-age=300"})

    return app


def _asset(name: str) -> str:
    return resources.files("matcher.web").joinpath(name).read_text(encoding="utf-8")


def serve(host: str = "127.0.0.1", port: int = 8000, data_dir: str | None = None, workers: int = 1) -> int:
    """Run the app on uvicorn (what `matcher serve` does): one process, or `workers` processes
    each with its own listening socket on the same port (SO_REUSEPORT), so that the kernel spreads
    the connections over them evenly, long-lived keep-alive connections included.

    Returns how many worker processes ended on their own (0 when stopped by Ctrl-C or `kill`)."""
    import uvicorn

    if workers == 1:
        uvicorn.run(create_app(data_dir), host=host, port=port, log_level="warning", access_log=False)
        return 0
    if not hasattr(socket, "SO_REUSEPORT"):  # not on every platform: uvicorn's own workers then
        os.environ["MATCHER_SERVE_DATA_DIR"] = data_dir or ""
        uvicorn.run("matcher.server:_app_from_env", factory=True, host=host, port=port, workers=workers,
                    log_level="warning", access_log=False)
        return 0
    import multiprocessing

    procs = [multiprocessing.Process(target=_serve_one, args=(host, port, data_dir, os.getpid()), daemon=True)
             for _ in range(workers)]
    for proc in procs:
        proc.start()
    # `kill` (SIGTERM) ends the workers too, as Ctrl-C does: without this the parent died alone
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        for proc in procs:
            proc.join()
    except KeyboardInterrupt:
        return 0
    finally:
        for proc in procs:
            proc.terminate()
            proc.join(timeout=10)
    return len(procs)  # every worker ended without being asked to


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def check_port(host: str, port: int) -> None:
    """Raise OSError when nothing may listen on host:port (taken, no such address, not allowed),
    before anything says it is serving. A plain bind, without SO_REUSEPORT, so that a second
    `matcher serve` never quietly shares the port of a first one."""
    _listen(host, port, share=False).close()


def _listen(host: str, port: int, share: bool = True) -> socket.socket:
    """A socket bound to host:port; `share`: with SO_REUSEPORT, as each worker binds its own."""
    family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if share:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind(address)
    except OSError:
        sock.close()
        raise
    return sock


def _serve_one(host: str, port: int, data_dir: str | None, parent: int) -> None:
    import threading

    import uvicorn

    sock = _listen(host, port)
    config = uvicorn.Config(create_app(data_dir), log_level="warning", access_log=False)
    server = uvicorn.Server(config)

    def watch_parent() -> None:  # a parent killed outright (SIGKILL) cannot stop its workers: they stop themselves
        while not server.should_exit:
            if os.getppid() != parent:
                server.should_exit = True
            time.sleep(1.0)

    threading.Thread(target=watch_parent, daemon=True).start()
    server.run(sockets=[sock])


def _app_from_env() -> FastAPI:
    return create_app(os.environ.get("MATCHER_SERVE_DATA_DIR") or None)
