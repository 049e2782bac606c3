"""The `footfall` command: init, apps (create, list, snippet), users, credentials, permissions, keys,
serve, status, import-logs, migrate-store.

Exit codes: 0 success; 1 a runtime problem (server not running, object missing, conflict);
2 bad input (a usage error, an invalid setting or value). Errors print one line on stderr.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from typing import Any

from footfall.config import Settings

__all__ = ["build_parser", "main"]

Handler = Callable[[argparse.Namespace, Settings], int]


class CliError(Exception):
    """A user-facing failure: a one-line message and an exit code."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code


def _emit(data: Any) -> None:
    print(json.dumps(data, indent=2, ensure_ascii=False))


def _open_meta(settings: Settings) -> Any:
    from footfall.meta.store import MetaStore

    settings.data_path.mkdir(parents=True, exist_ok=True)
    meta = MetaStore(settings.meta_dsn)
    meta.migrate()
    return meta


# -- commands ------------------------------------------------------------------------------------


def cmd_init(args: argparse.Namespace, settings: Settings) -> int:
    """Create the data dir, the metadata database, the owner and one API credential."""
    from footfall.meta.services import init_owner

    meta = _open_meta(settings)
    try:
        made = init_owner(meta)
    finally:
        meta.close()
    note = (
        None
        if made.client_secret
        else "already initialized: the client_secret was shown once; "
        "make another with `footfall credentials create --name NAME`"
    )
    if args.json:
        _emit(
            {
                "client_id": made.client_id,
                "client_secret": made.client_secret,
                "owner_email": made.owner_email,
                "owner_password": made.owner_password,
                "token_auth": made.token_auth,
                "data_dir": str(settings.data_path),
                "created": made.created,
                **({"note": note} if note else {}),
            }
        )
        return 0
    print(f"Data dir:  {settings.data_path}")
    print(f"Owner:     {made.owner_email}")
    if made.owner_password:
        print(f"Password:  {made.owner_password}  (shown once)")
        print(f"token_auth: {made.token_auth}  (shown once)")
    print(f"client_id: {made.client_id}")
    print(f"client_secret: {made.client_secret}  (shown once)" if made.client_secret else note)
    return 0


def cmd_apps_create(args: argparse.Namespace, settings: Settings) -> int:
    """Create an app and print it with its UUID `id` and integer `alias`."""
    from footfall.meta import services

    meta = _open_meta(settings)
    try:
        existing = [a for a in services.list_apps(meta) if a.name == args.name.strip()]
        if args.if_absent and existing:
            app = existing[0]
        else:
            app = services.create_app(
                meta,
                name=args.name,
                urls=args.url,
                timezone=args.timezone,
                currency=args.currency,
            )
    finally:
        meta.close()
    if args.json:
        _emit(app.to_dict())
    else:
        print(f"App {app.name!r}: id {app.id}, alias {app.alias}, timezone {app.timezone}")
        print(f"Track with idsite={app.id} (or idsite={app.alias})")
    return 0


def cmd_apps_list(args: argparse.Namespace, settings: Settings) -> int:
    """List the apps as a table or JSON."""
    from footfall.meta import services

    meta = _open_meta(settings)
    try:
        apps = services.list_apps(meta)
    finally:
        meta.close()
    if args.json:
        _emit([a.to_dict() for a in apps])
        return 0
    rows = [("ALIAS", "ID", "NAME", "TIMEZONE", "CURRENCY", "URLS")]
    rows += [(str(a.alias), a.id, a.name, a.timezone, a.currency, " ".join(a.urls)) for a in apps]
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    for r in rows:
        print("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=False)) + "  " + r[5])
    if not apps:
        print("(no apps yet: footfall apps create --name NAME --url URL)")
    return 0


def cmd_apps_snippet(args: argparse.Namespace, settings: Settings) -> int:
    """Print the install snippet of an app (seed 001 §2.1.2) for this instance's URL."""
    from footfall.meta import services
    from footfall.web.snippet import tracking_code

    meta = _open_meta(settings)
    try:
        app = services.get_app(meta, args.app)
    finally:
        meta.close()
    code = tracking_code(settings.base_url, app.id)
    if args.json:
        _emit({"id": app.id, "code": code})
    else:
        print(code, end="")
    return 0


def cmd_users_create(args: argparse.Namespace, settings: Settings) -> int:
    """Create a user and print its token_auth (shown once)."""
    from footfall.meta import services

    meta = _open_meta(settings)
    try:
        new = services.create_user(meta, args.email, role=args.role, language=args.language)
    finally:
        meta.close()
    if args.json:
        _emit({**new.user.to_dict(), "token_auth": new.token_auth})
    else:
        print(f"User {new.user.email} ({new.user.role}): id {new.user.id}")
        print(f"token_auth: {new.token_auth}  (shown once)")
    return 0


def cmd_users_invite(args: argparse.Namespace, settings: Settings) -> int:
    """Print a one-time link to set a dashboard password; creates the user when absent."""
    from footfall.meta import services

    meta = _open_meta(settings)
    try:
        user = services.find_user(meta, args.email)
        if user is None:
            new, link = services.invite_user(
                meta, args.email, role=args.role, language=args.language
            )
            user = new.user
        else:
            link = services.issue_invitation(meta, user.id)
    finally:
        meta.close()
    url = link.url(settings.base_url)
    if args.json:
        _emit(
            {
                **user.to_dict(),
                "invitation_url": url,
                "invitation_expires_at": link.invitation.expires_at.isoformat(),
            }
        )
    else:
        print(
            f"Invitation for {user.email} (valid until {link.invitation.expires_at:%Y-%m-%d %H:%M} UTC):"
        )
        print(url)
    return 0


def cmd_users_set_password(args: argparse.Namespace, settings: Settings) -> int:
    """Set a user's dashboard password: from stdin with --password-stdin, else prompted twice."""
    import getpass

    from footfall.meta import services

    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = getpass.getpass("New password: ")
        if getpass.getpass("Repeat it: ") != password:
            raise CliError("the two passwords differ")
    meta = _open_meta(settings)
    try:
        user = services.find_user(meta, args.email)
        if user is None:
            raise CliError(f"no user with email {args.email}")
        services.set_password(meta, user.id, password)
    finally:
        meta.close()
    print(f"Password set for {user.email}")
    return 0


def cmd_credentials_create(args: argparse.Namespace, settings: Settings) -> int:
    """Create an API credential for a user (default: the owner) and print its secret once."""
    from footfall.meta import services

    meta = _open_meta(settings)
    try:
        if args.user:
            user = services.find_user(meta, args.user)
            if user is None:
                raise CliError(f"no user with email {args.user!r}")
        else:
            owners = [u for u in services.list_users(meta) if u.role == "OWNER"]
            if not owners:
                raise CliError("no owner yet: run `footfall init` first")
            user = owners[0]
        if args.access_key or args.scopes:
            return _pirsch_credential(args, meta, user)
        if not args.name:
            raise CliError("--name is required (or --app with --scopes or --access-key)")
        new = services.create_credential(meta, user.id, args.name)
    finally:
        meta.close()
    if args.json:
        _emit(
            {
                "client_id": new.credential.client_id,
                "client_secret": new.client_secret,
                "name": new.credential.name,
                "user": user.email,
            }
        )
    else:
        print(f"Credential {new.credential.name!r} for {user.email}")
        print(f"client_id: {new.credential.client_id}")
        print(f"client_secret: {new.client_secret}  (shown once)")
    return 0


def _pirsch_credential(args: argparse.Namespace, meta: Any, user: Any) -> int:
    """A Pirsch client with scopes (bound to `--app`, or to the user without it) or a
    write-only access key for `--app`; the secret is printed once."""
    from footfall.meta import pirsch, services
    from footfall.meta.errors import MetaError

    if args.access_key and args.scopes:
        raise CliError("--access-key and --scopes exclude each other (a key only sends data)")
    try:
        app_id = services.get_app(meta, args.app).id if args.app else None
        if args.access_key:
            if app_id is None:
                raise CliError("--access-key needs --app")
            key = pirsch.create_access_key(meta, user.id, app_id, args.name or "access key")
            if args.json:
                _emit({"access_key": key, "app": app_id, "user": user.email})
            else:
                print(f"access_key: {key}  (shown once; it may only send data to {app_id})")
            return 0
        scopes = pirsch.parse_scopes(args.scopes)
        new = pirsch.create_client(meta, user.id, app_id, scopes, args.name or "Pirsch client")
    except MetaError as e:
        raise CliError(e.message) from None
    granted = {k: v for k, v in scopes.items() if v}
    if args.json:
        _emit(
            {
                "client_id": new.credential.client_id,
                "client_secret": new.client_secret,
                "name": new.credential.name,
                "user": user.email,
                "app": app_id,
                "scopes": granted,
            }
        )
    else:
        print(f"Pirsch client for {app_id or user.email}, scopes {granted}")
        print(f"client_id: {new.credential.client_id}")
        print(f"client_secret: {new.client_secret}  (shown once)")
    return 0


def cmd_credentials_revoke(args: argparse.Namespace, settings: Settings) -> int:
    """Revoke an API credential: /auth/token refuses it from now on."""
    from footfall.meta import services

    meta = _open_meta(settings)
    try:
        services.revoke_credential(meta, args.client_id)
    finally:
        meta.close()
    print(f"Revoked {args.client_id}")
    return 0


def cmd_credentials_list(args: argparse.Namespace, settings: Settings) -> int:
    """List API credentials (never their secrets), optionally of one user."""
    from footfall.meta import services

    meta = _open_meta(settings)
    try:
        users = {u.id: u.email for u in services.list_users(meta)}
        user_id = None
        if args.user:
            found = services.find_user(meta, args.user)
            if found is None:
                raise CliError(f"no user with email {args.user!r}")
            user_id = found.id
        credentials = services.list_credentials(meta, user_id)
    finally:
        meta.close()
    rows = [
        {
            "client_id": c.client_id,
            "name": c.name,
            "user": users.get(c.user_id, c.user_id),
            "created_at": c.created_at.isoformat(),
            "revoked_at": c.revoked_at.isoformat() if c.revoked_at else None,
        }
        for c in credentials
    ]
    if args.json:
        _emit(rows)
        return 0
    for row in rows:
        state = f"revoked {row['revoked_at']}" if row["revoked_at"] else "active"
        print(f"{row['client_id']}  {row['name']!r}  {row['user']}  {state}")
    if not rows:
        print("(no credentials: footfall credentials create --name NAME)")
    return 0


def cmd_permissions_set(args: argparse.Namespace, settings: Settings) -> int:
    """Grant a user a level on an app (or a meta site); `no-access` removes it."""
    from footfall.meta import services
    from footfall.meta.permissions import set_user_permission

    meta = _open_meta(settings)
    try:
        user = services.find_user(meta, args.user)
        if user is None:
            raise CliError(f"no user with email {args.user!r}")
        app = services.find_app(meta, args.app)
        entity_id = app.id if app is not None else args.app
        set_user_permission(meta, user.id, entity_id, args.level)
    finally:
        meta.close()
    if args.json:
        _emit({"user": user.email, "entity_id": entity_id, "permission": args.level})
    else:
        print(f"{user.email}: {args.level} on {entity_id}")
    return 0


def cmd_keys_rotate(args: argparse.Namespace, settings: Settings) -> int:
    """Make a new JWT signing key; tokens signed with older keys stay valid until they expire."""
    from footfall.auth.tokens import KeyRing

    kid = KeyRing(settings.data_path / "keys").rotate()
    print(f"New signing key {kid}")
    return 0


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    """Run the server (collector, pipeline, APIs, dashboard) until interrupted."""
    try:
        from footfall.app import serve
    except ImportError as e:
        raise CliError(f"the server cannot start: {e}") from None
    return serve(settings)


# -- import-logs ---------------------------------------------------------------------------------


def cmd_import_logs(args: argparse.Namespace, settings: Settings) -> int:
    """Import access logs straight into the spool; the pipeline stores them before it exits."""
    from pathlib import Path

    from footfall.importer import (
        DOWNLOAD_EXTENSIONS,
        ImportOptions,
        ImportState,
        LogImporter,
        SiteResolver,
        UnknownApp,
        UnknownFormat,
    )
    from footfall.importer.report import ProgressLine, Summary
    from footfall.importer.runtime import DataDirBusy, ImportRuntime

    files = [Path(f) for f in args.files]
    missing = [str(f) for f in files if not f.is_file()]
    if missing:
        raise CliError(f"no such log file: {missing[0]}", 2)
    extensions = (
        frozenset(e.strip().lower() for e in args.download_extensions.split(",") if e.strip())
        if args.download_extensions
        else DOWNLOAD_EXTENSIONS
    )
    options = ImportOptions(
        idsite=args.idsite,
        hostnames=tuple(args.hostname),
        exclude_paths=tuple(args.exclude_path),
        include_paths=tuple(args.include_path),
        useragent_exclude=tuple(args.useragent_exclude),
        enable_static=args.enable_static,
        enable_bots=args.enable_bots,
        enable_http_errors=args.enable_http_errors,
        enable_http_redirects=args.enable_http_redirects,
        download_extensions=extensions,
        strip_query_string=args.strip_query_string,
        log_hostname=(args.log_hostname or "").lower(),
    )
    try:
        runtime = ImportRuntime(settings)
    except DataDirBusy as e:
        raise CliError(str(e)) from None
    state = ImportState(settings.data_path)
    progress = ProgressLine(enabled=args.show_progress or (sys.stderr.isatty() and not args.json))
    summary = Summary()
    try:
        state.settle(runtime.spool.last_seq)
        sites = SiteResolver(
            args.idsite, runtime.directory.resolve, runtime.directory.app_for_host, runtime.urls_of
        )
        importer = LogImporter(
            runtime.spool,
            sites,
            runtime.directory.resolve,
            options,
            state=state,
            format_name=args.log_format_name,
            on_chunk=progress.file,
        )
        started = time.perf_counter()
        for path in files:
            summary.files.append(importer.import_file(path))
            progress.end()
        summary.seconds = time.perf_counter() - started
        runtime.drain(progress.processing)
        progress.end()
        summary.stored_seconds = time.perf_counter() - started - summary.seconds
        summary.sites = len(sites.sites)
        summary.unmatched_hosts = sorted(sites.unmatched_hosts)
        summary.dropped = runtime.dropped()
    except UnknownApp as e:
        raise CliError(str(e), 2) from None
    except (UnknownFormat, ValueError) as e:
        raise CliError(str(e), 2) from None
    finally:
        state.close()
        runtime.close()
    if args.json:
        _emit(summary.counts())
    else:
        print(summary.text())
    return 0


def _add_import_logs(subs: Any, common: argparse.ArgumentParser) -> None:
    from footfall.importer import FORMAT_NAMES

    p = _command(
        subs,
        "import-logs",
        cmd_import_logs,
        "import web server access logs (the server must not be running on this data dir)",
        common,
    )
    p.add_argument("files", nargs="+", metavar="FILE", help="log files (.gz and .bz2 too)")
    p.add_argument("--idsite", help="app UUID or alias; default: the app whose URLs match the host")
    p.add_argument("--hostname", action="append", default=[], help="import only these hosts (glob)")
    p.add_argument("--exclude-path", action="append", default=[], help="skip paths matching (glob)")
    p.add_argument(
        "--include-path", action="append", default=[], help="import only paths matching (glob)"
    )
    p.add_argument(
        "--useragent-exclude",
        action="append",
        default=[],
        help="skip user agents containing this (case-insensitive), like robots",
    )
    p.add_argument("--enable-static", action="store_true", help="import static files as downloads")
    p.add_argument("--enable-bots", action="store_true", help="import robots (sent with bots=1)")
    p.add_argument("--enable-http-errors", action="store_true", help="import 4xx/5xx responses")
    p.add_argument(
        "--enable-http-redirects", action="store_true", help="import 3xx responses (not 304)"
    )
    p.add_argument(
        "--download-extensions", metavar="EXT,EXT", help="replace the download extensions"
    )
    p.add_argument("--strip-query-string", action="store_true", help="drop query strings")
    p.add_argument("--log-format-name", choices=FORMAT_NAMES, help="skip format detection")
    p.add_argument("--log-hostname", help="host of every line (for logs without one)")
    p.add_argument(
        "--show-progress", action="store_true", help="progress bar even when not on a terminal"
    )
    _json_flag(p)


def cmd_migrate_store(args: argparse.Namespace, settings: Settings) -> int:
    """Copy a DuckDB event store into an empty ClickHouse one and verify every column."""
    from footfall.store.copy import copy_store

    source = args.source or settings.events_dsn

    def progress(table: str, rows: int) -> None:
        if not args.json:
            print(f"{table}: {rows} rows copied", file=sys.stderr)

    try:
        report = copy_store(
            source,
            args.target,
            batch_rows=args.batch_rows,
            verify=not args.no_verify,
            progress=progress,
        )
    except ValueError as e:
        raise CliError(str(e), 2) from None
    tables = {
        name: {
            "source_rows": check.source_rows,
            "target_rows": check.target_rows,
            "columns_verified": len(check.source_digests),
            "columns_mismatched": check.mismatched,
        }
        for name, check in report.tables.items()
    }
    if args.json:
        _emit({"checkpoint": report.checkpoint, "equal": report.equal, "tables": tables})
    else:
        for name, t in tables.items():
            verdict = "equal" if report.tables[name].equal else "DIFFERENT"
            print(
                f"{name}: {t['source_rows']} → {t['target_rows']} rows,"
                f" {t['columns_verified']} column checksums, {verdict}"
            )
        print(f"checkpoint: {report.checkpoint}")
    if not report.equal:
        raise CliError("the copy differs from the source (see above)", 1)
    return 0


# -- status --------------------------------------------------------------------------------------

_SAMPLE = re.compile(r"^([A-Za-z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)\s*$")
_LABEL = re.compile(r'(\w+)="((?:[^"\\]|\\.)*)"')
Samples = list[tuple[str, dict[str, str], float]]


def parse_prometheus(text: str) -> Samples:
    """The samples of a Prometheus text exposition as (name, labels, value)."""
    out: Samples = []
    for line in text.splitlines():
        match = _SAMPLE.match(line.strip())
        if match is None or line.startswith("#"):
            continue
        try:
            value = float(match.group(3))
        except ValueError:
            continue
        out.append((match.group(1), dict(_LABEL.findall(match.group(2) or "")), value))
    return out


def _fetch(url: str) -> Samples:
    try:
        with urllib.request.urlopen(url + "/metrics", timeout=3) as response:
            return parse_prometheus(response.read().decode())
    except (urllib.error.URLError, OSError, ValueError):
        raise CliError(f"server not running at {url}") from None


def summarize(
    samples: Samples, earlier: Samples | None = None, interval: float = 0.0
) -> dict[str, Any]:
    """Accepted hits, rejections and drops by reason, spool lag, pipeline totals and rates."""
    summary: dict[str, Any] = {
        "accepted_hits": 0,
        "rejected": {},
        "dropped": {},
        "spool_lag_records": None,
        "pipeline": {},
    }
    for name, labels, value in samples:
        if "accepted" in name:
            summary["accepted_hits"] += int(value)
        elif "rejected" in name or "dropped" in name:
            bucket = summary["rejected" if "rejected" in name else "dropped"]
            reason = labels.get("reason", "unknown")
            bucket[reason] = bucket.get(reason, 0) + int(value)
        elif name == "footfall_spool_lag_records":
            summary["spool_lag_records"] = int(value)
        elif name in ("footfall_pipeline_rows_total", "footfall_pipeline_records_total"):
            key = name.removeprefix("footfall_pipeline_").removesuffix("_total")
            key += f"[{labels['table']}]" if "table" in labels else ""
            summary["pipeline"][key] = int(value)
    if earlier is not None and interval > 0:
        before = summarize(earlier)["pipeline"]
        summary["pipeline_per_second"] = {
            k: round((v - before.get(k, 0)) / interval, 1) for k, v in summary["pipeline"].items()
        }
    return summary


def cmd_status(args: argparse.Namespace, settings: Settings) -> int:
    """Read a running server's /metrics and summarize it."""
    url = (args.url or settings.base_url).rstrip("/")
    first = _fetch(url)
    second = None
    if args.interval > 0:
        time.sleep(args.interval)
        second = _fetch(url)
    summary = summarize(second, first, args.interval) if second else summarize(first)
    summary = {"url": url, **summary}
    if args.json:
        _emit(summary)
        return 0
    print(f"Server {url}: running")
    print(f"Accepted hits:  {summary['accepted_hits']}")
    for title, key in (("Rejected", "rejected"), ("Dropped", "dropped")):
        detail = ", ".join(f"{r} {n}" for r, n in sorted(summary[key].items())) or "none"
        print(f"{title + ':':15} {detail}")
    lag = summary["spool_lag_records"]
    print(f"Spool lag:      {'unknown' if lag is None else f'{lag} records'}")
    rates = summary.get("pipeline_per_second", {})
    for key, total in sorted(summary["pipeline"].items()):
        rate = f"  ({rates[key]}/s)" if key in rates else ""
        print(f"Pipeline {key}: {total}{rate}")
    return 0


# -- parser --------------------------------------------------------------------------------------


def _common(suppress: bool) -> argparse.ArgumentParser:
    """Options every command takes, before or after the command name."""
    default = argparse.SUPPRESS if suppress else None
    parent = argparse.ArgumentParser(add_help=False)
    group = parent.add_argument_group("global options")
    group.add_argument(
        "--data-dir",
        default=default,
        metavar="DIR",
        help="data directory (env FOOTFALL_DATA_DIR; default ./footfall-data)",
    )
    group.add_argument(
        "--log-format", default=default, choices=("text", "json"), help="log lines as text or JSON"
    )
    group.add_argument(
        "--log-level",
        default=default,
        choices=("debug", "info", "warning", "error"),
        help="least severe level logged (default info)",
    )
    return parent


def _command(
    subs: Any, name: str, handler: Handler, help_text: str, common: argparse.ArgumentParser
) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = subs.add_parser(
        name, help=help_text, description=help_text, parents=[common]
    )
    parser.set_defaults(handler=handler, group=name)
    return parser


def _json_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")


def _add_admin_commands(subs: Any, common: argparse.ArgumentParser) -> None:
    p = _command(
        subs, "init", cmd_init, "create the owner and one API credential if absent", common
    )
    _json_flag(p)
    apps = _command(subs, "apps", _needs_sub, "manage apps (websites, mobile apps)", common)
    apps_subs = apps.add_subparsers(title="commands", metavar="COMMAND")
    p = _command(apps_subs, "create", cmd_apps_create, "create an app", common)
    p.add_argument("--name", required=True, help="app name (≤ 90 characters)")
    p.add_argument("--url", action="append", required=True, help="app URL or host; repeatable")
    p.add_argument("--timezone", default="UTC", help="IANA time zone (default UTC)")
    p.add_argument("--currency", default="USD", help="ISO-4217 currency (default USD)")
    p.add_argument("--if-absent", action="store_true", help="reuse an app with the same name")
    _json_flag(p)
    _json_flag(_command(apps_subs, "list", cmd_apps_list, "list apps", common))
    p = _command(
        apps_subs, "snippet", cmd_apps_snippet, "print an app's tracking code snippet", common
    )
    p.add_argument("app", metavar="ID", help="app id (UUID) or integer alias")
    _json_flag(p)
    users = _command(subs, "users", _needs_sub, "manage users", common)
    users_subs = users.add_subparsers(title="commands", metavar="COMMAND")
    p = _command(
        users_subs, "create", cmd_users_create, "create a user (prints token_auth once)", common
    )
    p.add_argument("--email", required=True, help="email address (login)")
    p.add_argument("--role", default="USER", choices=("USER", "OWNER"), help="default USER")
    p.add_argument("--language", default="en-US", help="IETF language tag (default en-US)")
    _json_flag(p)
    p = _command(
        users_subs,
        "invite",
        cmd_users_invite,
        "print a one-time link to set a password (creates the user when absent)",
        common,
    )
    p.add_argument("--email", required=True, help="email address (login)")
    p.add_argument("--role", default="USER", choices=("USER", "OWNER"), help="for a new user")
    p.add_argument("--language", default="en-US", help="for a new user (default en-US)")
    _json_flag(p)
    p = _command(
        users_subs,
        "set-password",
        cmd_users_set_password,
        "set a user's dashboard password (12+ characters, digit, upper and lower case)",
        common,
    )
    p.add_argument("--email", required=True, help="the user's email")
    p.add_argument(
        "--password-stdin", action="store_true", help="read the password from stdin (one line)"
    )
    creds = _command(subs, "credentials", _needs_sub, "manage API credentials", common)
    creds_subs = creds.add_subparsers(title="commands", metavar="COMMAND")
    p = _command(creds_subs, "create", cmd_credentials_create, "create an API credential", common)
    p.add_argument("--user", metavar="EMAIL", help="user it acts for (default: the owner)")
    p.add_argument("--name", help="credential name (the token audience)")
    p.add_argument("--app", metavar="ID", help="Pirsch: bind the client or key to this app")
    p.add_argument(
        "--scopes",
        metavar="LIST",
        help="Pirsch client scopes, e.g. hit,event,session,statistics,domains:w",
    )
    p.add_argument("--access-key", action="store_true", help="Pirsch: a write-only access key pa_…")
    _json_flag(p)
    p = _command(creds_subs, "list", cmd_credentials_list, "list API credentials", common)
    p.add_argument("--user", metavar="EMAIL", help="only this user's credentials")
    _json_flag(p)
    p = _command(creds_subs, "revoke", cmd_credentials_revoke, "revoke an API credential", common)
    p.add_argument("client_id", help="client id to revoke")
    perms = _command(subs, "permissions", _needs_sub, "manage permissions on apps", common)
    perms_subs = perms.add_subparsers(title="commands", metavar="COMMAND")
    p = _command(perms_subs, "set", cmd_permissions_set, "grant a user a level on an app", common)
    p.add_argument("--user", metavar="EMAIL", required=True, help="the user's email")
    p.add_argument("--app", metavar="ID", required=True, help="app UUID or alias, or meta site id")
    p.add_argument(
        "--level",
        required=True,
        choices=("no-access", "view", "edit", "edit-publish", "manage"),
        help="permission level",
    )
    _json_flag(p)
    keys = _command(subs, "keys", _needs_sub, "manage JWT signing keys", common)
    keys_subs = keys.add_subparsers(title="commands", metavar="COMMAND")
    _command(keys_subs, "rotate", cmd_keys_rotate, "make a new signing key", common)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of `footfall`."""
    parser = argparse.ArgumentParser(
        prog="footfall",
        description="Footfall: self-hosted web and app analytics (Matomo / Piwik PRO compatible).",
        parents=[_common(suppress=False)],
    )
    common = _common(suppress=True)
    subs = parser.add_subparsers(title="commands", metavar="COMMAND")
    p = _command(subs, "serve", cmd_serve, "run the server until interrupted", common)
    p.add_argument("--host", help="listen address (env FOOTFALL_HOST; default 127.0.0.1)")
    p.add_argument("--port", type=int, help="listen port (env FOOTFALL_PORT; default 8000)")
    _add_admin_commands(subs, common)
    _add_import_logs(subs, common)
    p = _command(subs, "status", cmd_status, "summarize a running server's metrics", common)
    p.add_argument("--url", help="server base URL (default: public_url or http://HOST:PORT)")
    p.add_argument("--host", help="server host (default 127.0.0.1)")
    p.add_argument("--port", type=int, help="server port (default 8000)")
    p.add_argument(
        "--interval", type=float, default=1.0, help="seconds between two reads for rates (0: one)"
    )
    _json_flag(p)
    p = _command(
        subs,
        "migrate-store",
        cmd_migrate_store,
        "copy the DuckDB event store into an empty ClickHouse store and verify it",
        common,
    )
    p.add_argument(
        "--from",
        dest="source",
        metavar="URL",
        help="source duckdb:///path (default: the configured events_url; stop the server first)",
    )
    p.add_argument(
        "--to", dest="target", required=True, metavar="URL", help="clickhouse://… or chdb:///dir"
    )
    p.add_argument("--batch-rows", type=int, default=100_000, help="rows per insert (100000)")
    p.add_argument(
        "--no-verify", action="store_true", help="skip the per-column checksums (counts only)"
    )
    _json_flag(p)
    return parser


def _needs_sub(args: argparse.Namespace, settings: Settings) -> int:
    raise CliError(f"missing command: see `footfall {args.group} --help`", 2)


def _settings(args: argparse.Namespace) -> Settings:
    overrides = {
        key: getattr(args, key, None)
        for key in ("data_dir", "log_format", "log_level", "host", "port")
    }
    return Settings.load(overrides)


def _run(args: argparse.Namespace) -> int:
    from footfall.logs import configure_logging
    from footfall.meta.errors import Conflict, NotFound, ValidationError

    try:
        settings = _settings(args)
    except ValueError as e:
        raise CliError(str(e), 2) from None
    configure_logging(settings.log_format, settings.log_level)
    handler: Handler = args.handler
    try:
        return handler(args, settings)
    except ValidationError as e:
        raise CliError(f"invalid {e.field}: {e.message}", 2) from None
    except (NotFound, Conflict) as e:
        raise CliError(str(e), 1) from None


def main(argv: Sequence[str] | None = None) -> int:
    """Run `footfall` with `argv` (default: sys.argv[1:]); returns the exit code."""
    import sqlalchemy.exc

    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "handler", None) is None:
        parser.print_help(sys.stderr)
        return 2
    try:
        return _run(args)
    except CliError as e:
        print(f"footfall: error: {e}", file=sys.stderr)
        return e.code
    except sqlalchemy.exc.SQLAlchemyError as e:
        reason = str(e.orig if isinstance(e, sqlalchemy.exc.DBAPIError) else e).splitlines()[0]
        print(f"footfall: error: metadata database: {reason}", file=sys.stderr)
        return 1
    except OSError as e:
        print(f"footfall: error: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
