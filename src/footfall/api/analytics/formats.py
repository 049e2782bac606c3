"""Response formats: json, json-kv, csv, xml (query) and parquet (raw exports), api-notes §1."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import orjson
from starlette.responses import Response

from footfall.query.execute import Result

QUERY_FORMATS = ("json", "json-kv", "csv", "xml")
RAW_FORMATS = ("json", "json-kv", "csv", "parquet")
COLUMN_FORMATS = ("id", "name")


def headers(result: Result, column_format: str) -> list[str]:
    """meta.columns: column ids, or names with column_format=name."""
    if column_format == "name":
        return [c.name for c in result.columns]
    return [c.column_id for c in result.columns]


def _flat(value: Any) -> Any:
    """A cell for flat formats (csv, xml, parquet): an enum pair becomes its label."""
    if isinstance(value, list) and len(value) == 2 and not all(isinstance(v, int) for v in value):
        return value[1]
    if isinstance(value, list):
        return orjson.dumps(value).decode()
    return value


def render(result: Result, fmt: str, column_format: str) -> Response:
    """The HTTP response of a result in the requested format."""
    names = headers(result, column_format)
    meta = {"columns": names, "count": result.count}
    if fmt == "json":
        body = orjson.dumps({"data": result.rows, "meta": meta})
        return Response(body, media_type="application/json")
    if fmt == "json-kv":
        rows = [dict(zip(names, row, strict=True)) for row in result.rows]
        return Response(orjson.dumps({"data": rows, "meta": meta}), media_type="application/json")
    if fmt == "csv":
        return Response(_csv(names, result.rows), media_type="text/csv; charset=utf-8")
    if fmt == "xml":
        return Response(_xml(names, result.rows), media_type="application/xml")
    return Response(
        _parquet(names, result.rows),
        media_type="application/vnd.apache.parquet",
        headers={"content-disposition": 'attachment; filename="export.parquet"'},
    )


def _csv(names: list[str], rows: Sequence[Sequence[Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(names)
    for row in rows:
        writer.writerow(["" if v is None else _flat(v) for v in row])
    return out.getvalue()


def _xml(names: list[str], rows: Sequence[Sequence[Any]]) -> str:
    parts = ['<?xml version="1.0" encoding="utf-8"?>\n<result>']
    for row in rows:
        parts.append("<row>")
        for name, value in zip(names, row, strict=True):
            text = "" if value is None else escape(str(_flat(value)))
            parts.append(f"<column id={quoteattr(name)}>{text}</column>")
        parts.append("</row>")
    parts.append("</result>\n")
    return "".join(parts)


def _parquet(names: list[str], rows: Sequence[Sequence[Any]]) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    columns = [pa.array([_flat(row[i]) for row in rows]) for i in range(len(names))]
    table = pa.Table.from_arrays(columns, names=names)
    sink = io.BytesIO()
    pq.write_table(table, sink)
    return sink.getvalue()
