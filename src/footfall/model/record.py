"""RawRecord: one tracking request as the collector received it, the spool's unit."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import orjson

#: Protocols a record can come from. The pipeline parses each with its own adapter.
PROTOCOLS = ("matomo", "ppms", "pirsch")


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
