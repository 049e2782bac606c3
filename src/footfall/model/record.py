"""RawRecord: one tracking request as the collector received it, the spool's unit."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import orjson

#: Protocols a record can come from. The pipeline parses each with its own adapter.
PROTOCOLS = ("matomo", "ppms", "pirsch")
_ONLY_STR = frozenset((str,))


@dataclass(slots=True)
class RawRecord:
    """A tracking request plus the server-side facts known when it was acknowledged.

    The collector builds it, the spool stores its bytes (`encode`), the pipeline reads it back
    (`decode`) and turns it into a `Hit`. `seq` is the spool position (0 until appended); event ids
    are derived from it, so a replay produces the same ids.
    """

    website_id: str  #: resolved app UUID (the collector resolves integer aliases)
    params: dict[str, str]  #: the request parameters, wire names, string values
    received_at: float  #: unix seconds (UTC) when the collector received the request
    ip: str = ""  #: client IP as seen by the collector (proxy headers applied)
    user_agent: str = ""  #: User-Agent header
    accept_language: str = ""  #: Accept-Language header
    protocol: str = "matomo"  #: one of PROTOCOLS
    trusted: bool = (
        False  #: authenticated for privileged parameters (cdt > 4 h, cip, geo overrides)
    )
    headers: dict[str, str] = field(default_factory=dict)  #: other headers kept (dnt, sec-ch-*)
    seq: int = 0  #: spool sequence number, assigned on append

    def encode(self) -> bytes:
        """Serialize without `seq` (the spool position is not part of the payload)."""
        return orjson.dumps(
            [
                self.website_id,
                self.params,
                self.received_at,
                self.ip,
                self.user_agent,
                self.accept_language,
                self.protocol,
                self.trusted,
                self.headers,
            ]
        )

    @classmethod
    def decode(cls, payload: bytes, seq: int = 0) -> RawRecord:
        """Inverse of `encode`; raises ValueError on a corrupt payload."""
        try:
            v: Any = orjson.loads(payload)
            if (
                type(v) is list
                and len(v) >= 9
                and type(v[1]) is dict
                and type(v[8]) is dict
                and _ONLY_STR.issuperset(map(type, v[1].values()))
                and _ONLY_STR.issuperset(map(type, v[8].values()))
            ):
                # why: `encode` wrote str values and orjson reads back str keys and values, so
                # the dicts are used as they are (the general path below copies them with str()).
                return cls(
                    v[0] if type(v[0]) is str else str(v[0]),
                    v[1],
                    float(v[2]),
                    str(v[3]),
                    str(v[4]),
                    str(v[5]),
                    str(v[6]),
                    bool(v[7]),
                    v[8],
                    seq,
                )
            return cls(
                website_id=str(v[0]),
                params={str(k): str(x) for k, x in v[1].items()},
                received_at=float(v[2]),
                ip=str(v[3]),
                user_agent=str(v[4]),
                accept_language=str(v[5]),
                protocol=str(v[6]),
                trusted=bool(v[7]),
                headers={str(k): str(x) for k, x in v[8].items()},
                seq=seq,
            )
        except (orjson.JSONDecodeError, IndexError, KeyError, TypeError, AttributeError) as e:
            raise ValueError(f"corrupt spool record: {e}") from e


def shared_encoder(
    received_at: float,
    ip: str,
    user_agent: str,
    accept_language: str,
    protocol: str,
    headers: dict[str, str],
) -> Callable[[str, dict[str, str], bool], bytes]:
    """`encode` for records that differ only in website id, params and trust (one bulk body).

    `encoder(website_id, params, trusted)` gives the bytes of `RawRecord(website_id, params,
    received_at, ..., trusted=trusted, headers=headers).encode()`, with the shared tail serialized
    once: orjson writes a list as its items' JSON joined by commas, so the pieces concatenate.
    """
    dumps = orjson.dumps
    rest = [received_at, ip, user_agent, accept_language, protocol, False, headers]
    untrusted = b"," + dumps(rest)[1:]
    rest[5] = True
    trusted_tail = b"," + dumps(rest)[1:]

    def encode(website_id: str, params: dict[str, str], trusted: bool) -> bytes:
        return dumps([website_id, params])[:-1] + (trusted_tail if trusted else untrusted)

    return encode
