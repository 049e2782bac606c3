"""The ASGI application and the `serve` runtime: collector, pipeline, APIs over one data dir."""

from __future__ import annotations

import contextlib
import functools
import gc
import logging
import os
import secrets
import sys
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from footfall import telemetry
from footfall.config import Settings
from footfall.pipeline.runner import Pipeline
from footfall.spool import Spool, SpoolError
from footfall.store import open_store
from footfall.store.base import EventStore

log = logging.getLogger("footfall")

Scope = MutableMapping[str, Any]
ASGIApp = Callable[
    [Scope, Callable[[], Awaitable[Any]], Callable[[Any], Awaitable[None]]], Awaitable[None]
]

#: paths answered by the tracking collector (seed 000; api-notes §11)
TRACKING_PATHS = frozenset(
    {"/ppms.php", "/piwik.php", "/matomo.php", "/js/tracker.php", "/js/", "/js/index.php"}
)


def secret_key(settings: Settings) -> bytes:
    """The instance secret: FOOTFALL_SECRET_KEY, else a random key kept in the data dir."""
    if settings.secret_key:
        return str(settings.secret_key).encode()
    path = settings.data_path / "secret.key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_hex(32))
    return path.read_text().strip().encode()


def tune_gc() -> None:
    """Move start-up objects out of the collector's reach and collect young objects less often.

    why: device-detector's rule tables and the GeoIP data are millions of long-lived objects that
    every full collection walked again (~58 ms each); with them frozen and a larger first
    generation, the pipeline measured 14k -> 18k hits/s (BENCHMARKS.md).
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(100_000, 50, 1000)


def enrichment_workers(setting: int, cores: int | None = None) -> int:
    """Worker processes for the pipeline: the setting, or for -1 one when 4+ cores are there.

    why: on 2 cores the collector, DuckDB's threads and the pipeline thread already keep both
    busy, and a worker adds the transfer (~10 µs of CPU per hit both ways): the bulk benchmark
    measured it slower there (BENCHMARKS.md); with spare cores it takes parsing and enrichment
    off the one thread that sessionizes.
    """
    if setting >= 0:
        return setting
    return 1 if (cores if cores is not None else os.cpu_count() or 1) >= 4 else 0


@dataclass
class Runtime:
    """Everything a running server holds."""

    settings: Settings
    spool: Spool
    store: EventStore
    pipeline: Pipeline
    app: ASGIApp
    ready: bool = False


def build(settings: Settings) -> Runtime:
    """Open the stores and wire collector, pipeline and APIs (does not start the pipeline)."""
    from footfall.api.analytics import make_analytics_routes
    from footfall.api.analytics.manage import make_manage_routes
    from footfall.api.pirsch import PirschContext, make_pirsch_routes
    from footfall.api.pirsch.reports import ReportSender
    from footfall.api.platform import Context, make_platform_routes
    from footfall.auth.access import SCOPE_KEY, Authorizer
    from footfall.auth.checker import MetaTokenChecker
    from footfall.auth.oauth import make_auth_routes
    from footfall.auth.tokens import KeyRing
    from footfall.collect.http import make_collector
    from footfall.meta.directory import MetaDirectory
    from footfall.meta.store import MetaStore
    from footfall.pipeline.steps import StepConfig, default_steps
    from footfall.pipeline.steps.put_device import warm_up
    from footfall.pipeline.workers import WorkerSpec, meta_directory
    from footfall.web.routes import make_dashboard_routes
    from footfall.web.tracker_script import tracker_script_routes
    from footfall.web.tracking_code import tracking_code_routes

    warm_up()  # device-detector's cold start overlaps the rest of the start-up
    settings.data_path.mkdir(parents=True, exist_ok=True)
    meta = MetaStore(settings.meta_dsn)
    meta.migrate()
    keys = KeyRing(settings.data_path / "keys", ttl=int(settings.token_ttl_seconds))
    directory = MetaDirectory(meta)
    authorizer = Authorizer(meta, keys)
    # the spool first: its directory lock tells a second server on the same data dir to go away
    try:
        spool = Spool(
            settings.spool_path,
            durability=settings.spool_durability,
            segment_bytes=settings.spool_segment_bytes,
        )
    except SpoolError as e:
        raise OSError(f"data dir {settings.data_path} is in use: {e}") from None
    try:
        store = open_store(settings.events_dsn, retention=settings.clickhouse_retention)
        store.migrate()
    except Exception as e:  # the driver's own error types stay out of this layer
        spool.close()
        first_line = str(e).splitlines()[0] if str(e) else type(e).__name__
        raise OSError(f"event store {settings.events_dsn}: {first_line}") from None
    step_config = StepConfig(
        geoip_mmdb=settings.geoip_mmdb,
        device_cache_size=settings.device_cache_size,
        device_cache_file=str(settings.data_path / "ua-cache.sqlite3"),
        secret_key=secret_key(settings),
    )
    workers = enrichment_workers(int(settings.pipeline_workers))
    pipeline = Pipeline(
        spool,
        store,
        directory,
        default_steps(step_config),
        flush_interval=settings.flush_interval_ms / 1000,
        flush_max_rows=settings.flush_max_rows,
        workers=(
            WorkerSpec(step_config, functools.partial(meta_directory, settings.meta_dsn), workers)
            if workers > 0
            else None
        ),
        inline_records=int(settings.pipeline_inline_records),
    )
    checker = MetaTokenChecker(meta, keys)
    reports = (
        ReportSender(store, meta, str(settings.smtp_url), str(settings.smtp_from))
        if settings.smtp_url
        else None
    )
    collector = make_collector(spool, directory, checker, settings)
    runtime = Runtime(settings=settings, spool=spool, store=store, pipeline=pipeline, app=collector)

    async def healthz(request: Request) -> Response:
        if runtime.ready and pipeline.error is None:
            return PlainTextResponse("ok")
        return PlainTextResponse(
            "starting" if pipeline.error is None else "pipeline stopped", status_code=503
        )

    async def metrics(request: Request) -> Response:
        telemetry.set_gauge("footfall_spool_lag_records", spool.last_seq - pipeline.committed)
        return PlainTextResponse(
            telemetry.render_prometheus(), media_type="text/plain; version=0.0.4"
        )

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        tune_gc()
        pipeline.start()
        if reports is not None:
            reports.start()
        runtime.ready = True
        try:
            yield
        finally:
            runtime.ready = False
            if reports is not None:
                reports.stop()
            pipeline.stop()
            store.close()
            spool.close()
            gc.unfreeze()  # let the interpreter free everything at exit

    api = Starlette(
        routes=[
            Route("/healthz", healthz),
            Route("/metrics", metrics),
            *make_auth_routes(meta, keys),
            *tracker_script_routes(),
            *tracking_code_routes(meta, checker, str(settings.public_url or "")),
            *make_platform_routes(
                Context(
                    meta,
                    authorizer,
                    on_change=directory.invalidate,
                    public_url=str(settings.public_url or ""),
                )
            ),
            *make_manage_routes(Context(meta, authorizer, on_change=directory.invalidate)),
            *make_analytics_routes(store, meta),
            *make_pirsch_routes(
                PirschContext(meta, keys, spool, store, on_change=directory.invalidate)
            ),
            *make_dashboard_routes(
                store,
                meta,
                secret_key(settings),
                str(settings.public_url or ""),
                on_change=directory.invalidate,
            ),
        ],
        lifespan=lifespan,
    )

    async def dispatch(
        scope: Scope, receive: Callable[[], Awaitable[Any]], send: Callable[[Any], Awaitable[None]]
    ) -> None:
        # why: the tracking endpoints skip Starlette routing entirely; they are the hot path
        if scope["type"] == "http" and scope["path"] in TRACKING_PATHS:
            await collector(scope, receive, send)
        else:
            scope[SCOPE_KEY] = authorizer  # what `footfall.auth.access.require` reads
            await api(scope, receive, send)

    runtime.app = dispatch
    return runtime


def serve(settings: Settings) -> int:
    """Run the server until SIGINT/SIGTERM; the pipeline drains what is spooled before exit."""
    import uvicorn

    from footfall.meta.services import first_run_bootstrap
    from footfall.meta.store import MetaStore

    settings.data_path.mkdir(parents=True, exist_ok=True)
    meta = MetaStore(settings.meta_dsn)
    meta.migrate()
    boot = first_run_bootstrap(meta)
    runtime = build(settings)
    base = settings.base_url
    print(f"Footfall is listening on {base}  (data: {settings.data_path})", file=sys.stderr)
    if boot:
        print(
            "First start: owner login {email} / password {password}\n"
            "API credential: client_id {client_id}  client_secret {client_secret}  (shown once)".format(
                **boot
            ),
            file=sys.stderr,
        )
    print(f"Track with: {base}/matomo.php?idsite=<app id or alias>&rec=1&url=…", file=sys.stderr)
    config = uvicorn.Config(
        runtime.app,
        host=settings.host,
        port=int(settings.port),
        log_level="warning",
        access_log=False,
        lifespan="on",
        timeout_graceful_shutdown=30,
    )
    uvicorn.Server(config).run()
    return 1 if runtime.pipeline.error is not None else 0
