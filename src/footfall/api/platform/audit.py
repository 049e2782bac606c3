"""Audit log API v1 (api-notes §8.3): who changed what, filtered, paged, as JSON:API or CSV.

An OWNER sees every entry; another user sees the entries about the apps and meta sites they
manage and about themselves.
"""

from __future__ import annotations

import csv
import io
import ipaddress
from datetime import UTC, datetime
from typing import Any

import orjson
from starlette.responses import Response

from footfall.api.platform.jsonapi import ApiError, Call, Endpoint, document, resource, timestamp
from footfall.meta.audit import AuditEntry, AuditFilter, page_entries

__all__ = ["CSV_COLUMNS", "ENDPOINTS", "TYPE"]

TYPE = "ppms/audit-log-entry"
CSV_COLUMNS = (
    "author_email",
    "author_id",
    "created_at",
    "id",
    "ip",
    "payload",
    "subject_id",
    "type",
    "version",
)
_SORTS = ("type", "email", "created_at", "ip", "subject_id")


def _invalid(parameter: str, detail: str) -> ApiError:
    return ApiError(400, None, code="invalid", detail=detail, parameter=parameter)


def _list(call: Call, name: str) -> tuple[str, ...]:
    raw = call.query.get(f"filter[{name}]", "")
    return tuple(v.strip() for v in raw.split(",") if v.strip())


def _date(call: Call, name: str) -> datetime | None:
    raw = call.query.get(f"filter[{name}]")
    if not raw:
        return None
    try:
        value = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise _invalid(f"filter[{name}]", f"'{raw}' is not an ISO-8601 date or time") from None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def _filter(call: Call) -> AuditFilter:
    ips = _list(call, "ip")
    for ip in ips:
        try:
            ipaddress.ip_address(ip)
        except ValueError:
            raise _invalid(
                "filter[ip]", f"'{ip}' does not appear to be an IPv4 or IPv6 address"
            ) from None
    visible = None
    if not call.caller.is_owner:
        levels = call.ctx.authorizer.levels(call.caller) or {}
        visible = frozenset(
            [*(e for e, lv in levels.items() if lv == "manage"), call.caller.user.id]
        )
    return AuditFilter(
        types=_list(call, "type"),
        emails=_list(call, "email"),
        author_ids=_list(call, "author_id"),
        subject_ids=_list(call, "subject_id"),
        ips=ips,
        date_from=_date(call, "date_from"),
        date_to=_date(call, "date_to"),
        visible_subjects=visible,
    )


def _attributes(entry: AuditEntry) -> dict[str, Any]:
    return {
        "created_at": timestamp(entry.created_at),
        "type": entry.type,
        "payload": entry.payload,
        "author_id": entry.author_id,
        "author_email": entry.author_email,
        "subject_id": entry.subject_id,
        "ip": entry.ip,
        "version": entry.version,
    }


def _csv(entries: list[AuditEntry]) -> Response:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for entry in entries:
        row = {"id": entry.id, **_attributes(entry)}
        row["payload"] = orjson.dumps(entry.payload).decode()
        writer.writerow(["" if row[c] is None else row[c] for c in CSV_COLUMNS])
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8")


def list_entries(call: Call) -> Response:
    page = call.page(_SORTS, "-created_at", max_limit=100)
    total, entries = page_entries(
        call.ctx.meta, _filter(call), offset=page.offset, limit=page.limit, sort=page.sort
    )
    if "text/csv" in call.headers.get("accept", ""):
        return _csv(entries)
    data = [resource(TYPE, e.id, _attributes(e)) for e in entries]
    return document(data, {"total": total})


ENDPOINTS = [
    Endpoint(
        "GET",
        "/api/audit-log/v1/entries",
        list_entries,
        "List audit log entries (JSON:API, or CSV with Accept: text/csv)",
        family="error",
        tag="Audit log",
    )
]
