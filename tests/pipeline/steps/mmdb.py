"""A minimal MaxMind DB writer for tests: one IPv4 network → one record (format spec v2.0)."""

from __future__ import annotations

import ipaddress
import struct
from typing import Any


def _ctrl(type_: int, size: int) -> bytes:
    assert size < 29
    if type_ <= 7:
        return bytes([(type_ << 5) | size])
    return bytes([size, type_ - 7])  # extended type


class U16(int):
    """An int stored as uint16 (the metadata wants that type)."""


class U64(int):
    """An int stored as uint64."""


def encode(value: Any) -> bytes:
    """One value in the MaxMind DB data section encoding."""
    if isinstance(value, U16 | U64):
        raw = int(value).to_bytes(8, "big").lstrip(b"\0")
        return _ctrl(5 if isinstance(value, U16) else 9, len(raw)) + raw
    if isinstance(value, str):
        raw = value.encode()
        return _ctrl(2, len(raw)) + raw
    if isinstance(value, float):
        return _ctrl(3, 8) + struct.pack(">d", value)
    if isinstance(value, int):
        raw = value.to_bytes(8, "big").lstrip(b"\0")
        return _ctrl(6 if value < 2**32 else 9, len(raw)) + raw  # uint32 / uint64
    if isinstance(value, dict):
        return _ctrl(7, len(value)) + b"".join(encode(k) + encode(v) for k, v in value.items())
    if isinstance(value, list):
        return _ctrl(11, len(value)) + b"".join(encode(v) for v in value)
    raise TypeError(type(value))


def write_mmdb(path: str, network: str, record: dict[str, Any], db_type: str) -> None:
    """Writes an IPv6-tree database (record size 24) holding `network` (IPv4) → `record`."""
    net = ipaddress.IPv4Network(network)
    bits = [0] * 96 + [int(b) for b in format(int(net.network_address), "032b")[: net.prefixlen]]
    node_count = len(bits)
    tree = bytearray()
    for depth, bit in enumerate(bits):
        # the record along the path leads to the next node; the last one to the data (offset 0)
        nxt = depth + 1 if depth + 1 < node_count else node_count + 16
        records = [node_count, node_count]
        records[bit] = nxt
        tree += b"".join(r.to_bytes(3, "big") for r in records)
    meta = {
        "binary_format_major_version": U16(2),
        "binary_format_minor_version": U16(0),
        "build_epoch": U64(1700000000),
        "database_type": db_type,
        "description": {"en": "footfall test"},
        "ip_version": U16(6),
        "languages": ["en"],
        "node_count": node_count,
        "record_size": U16(24),
    }
    with open(path, "wb") as f:
        f.write(
            bytes(tree) + b"\0" * 16 + encode(record) + b"\xab\xcd\xefMaxMind.com" + encode(meta)
        )
