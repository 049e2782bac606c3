"""Why a request was rejected by the collector or dropped by the pipeline: a closed set."""

from __future__ import annotations

from enum import StrEnum


class Reason(StrEnum):
    """A counted reason. Collector rejections answer 400; pipeline drops are silent to clients."""

    # collector (answered 400, never reach the spool)
    UNKNOWN_APP = "unknown_app"
    MISSING_IDSITE = "missing_idsite"
    MISSING_URL = "missing_url"
    REC_NOT_1 = "rec_not_1"
    UNAUTHENTICATED_BACKDATING = "unauthenticated_backdating"
    UNAUTHENTICATED_OVERRIDE = "unauthenticated_override"
    BODY_TOO_LARGE = "body_too_large"
    INVALID = "invalid"
    # pipeline (after the ack)
    BOT = "bot"
    EXCLUDED_IP = "excluded_ip"
    EXCLUDED_USER_AGENT = "excluded_user_agent"
    EXCLUDED_UNKNOWN_URL = "excluded_unknown_url"
    PLUGIN_REQUEST = "plugin_request"  # ca=1 with nothing trackable
    ORPHAN_PING = "orphan_ping"  # a ping with no open session
    UNKNOWN_GOAL = "unknown_goal"
    DUPLICATE_ORDER = "duplicate_order"
    DUPLICATE_GOAL = "duplicate_goal"  # a goal without allow_multiple converted again in a session
    SESSION_LIMIT = "session_limit"  # split_and_exclude
    CORRUPT_RECORD = "corrupt_record"
