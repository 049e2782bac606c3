"""API credentials of the caller: list, create (the secret is shown once) and revoke.

Piwik PRO manages these in the UI (seed 002 "Generate API credentials"); Footfall offers the same
under the users API, next to `me`. A credential acts for the user who made it.
"""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from footfall.api.platform.jsonapi import Call, Endpoint, document, no_content, resource, timestamp
from footfall.meta import accounts
from footfall.meta.accounts import Credential
from footfall.meta.errors import NotFound, ValidationError

__all__ = ["ENDPOINTS", "TYPE"]

TYPE = "ppms/api-credential"
BASE = "/api/users/v2/me/credentials"


def _attributes(credential: Credential) -> dict[str, Any]:
    return {
        "name": credential.name,
        "client_id": credential.client_id,
        "created_at": timestamp(credential.created_at),
        "revoked_at": timestamp(credential.revoked_at),
    }


def list_credentials(call: Call) -> Response:
    found = accounts.list_credentials(call.ctx.meta, call.caller.user.id)
    data = [resource(TYPE, c.client_id, _attributes(c)) for c in found]
    return document(data, {"total": len(data)})


def create_credential(call: Call) -> Response:
    attributes = call.attributes()
    for key in attributes:
        if key != "name":
            raise ValidationError(key, "unknown or read-only attribute")
    name = attributes.get("name")
    if not isinstance(name, str):
        raise ValidationError("name", "This value should not be blank.")
    new = accounts.create_credential(call.ctx.meta, call.caller.user.id, name, call.actor)
    attrs = {**_attributes(new.credential), "client_secret": new.client_secret}
    return document(resource(TYPE, new.credential.client_id, attrs), status=201)


def revoke_credential(call: Call) -> Response:
    client_id = call.path["client_id"]
    mine = {c.client_id for c in accounts.list_credentials(call.ctx.meta, call.caller.user.id)}
    if client_id not in mine:
        raise NotFound(f"Credential {client_id} does not exist")
    accounts.revoke_credential(call.ctx.meta, client_id, call.actor)
    return no_content()


def _e(method: str, path: str, handler: Any, summary: str, **kw: Any) -> Endpoint:
    return Endpoint(method, BASE + path, handler, summary, tag="API credentials", **kw)


ENDPOINTS = [
    _e("GET", "", list_credentials, "The caller's API credentials"),
    _e("POST", "", create_credential, "Create an API credential", body_type=TYPE, status=201),
    _e("DELETE", "/{client_id}", revoke_credential, "Revoke an API credential", status=204),
]
