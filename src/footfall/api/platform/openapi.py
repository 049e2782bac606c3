"""The OpenAPI 3.1 document of the platform APIs, built from the endpoint table (`/api/docs`).

It is derived from the same `Endpoint` list the router mounts, so a route cannot exist without
its documentation. Bodies are described as JSON:API documents of the endpoint's resource type;
the tracker settings and app attribute lists come from the attribute registries.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from footfall.api.platform.jsonapi import MEDIA_TYPE, Endpoint
from footfall.meta.attributes import APP_ATTRIBUTES, APP_TO_TRACKER, TRACKER_ATTRIBUTES

__all__ = ["openapi_document"]

_KIND_SCHEMA = {
    "bool": {"type": "boolean"},
    "int": {"type": "integer"},
    "str": {"type": "string"},
    "list": {"type": "array", "items": {"type": "string"}},
}
_ERRORS = {
    "type": "object",
    "properties": {
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["status"],
                "properties": {
                    "status": {"type": "string"},
                    "code": {"type": "string"},
                    "title": {"type": "string"},
                    "detail": {"type": "string"},
                    "source": {
                        "type": "object",
                        "properties": {
                            "pointer": {"type": "string"},
                            "parameter": {"type": "string"},
                        },
                    },
                },
            },
        }
    },
}
_UNAUTHORIZED = {
    "jsonapi": {"$ref": "#/components/schemas/Errors"},
    "error": {"type": "object", "properties": {"error": {"type": "string"}}},
    "message": {"type": "object", "properties": {"message": {"type": "string"}}},
}


def _attributes_schema(body_type: str) -> dict[str, Any]:
    if body_type.startswith("tracker/settings/app"):
        props = {n: _KIND_SCHEMA[a.kind] for n, a in TRACKER_ATTRIBUTES.items()}
        if body_type == "tracker/settings/app":
            props["urls"] = _KIND_SCHEMA["list"]
        return {"type": "object", "properties": props}
    if body_type == "ppms/app":
        props = {n: _KIND_SCHEMA[a.kind] for n, a in APP_ATTRIBUTES.items()}
        props.update(
            {n: _KIND_SCHEMA[TRACKER_ATTRIBUTES[t].kind] for n, t in APP_TO_TRACKER.items()}
        )
        props.update(
            name={"type": "string", "maxLength": 90},
            urls=_KIND_SCHEMA["list"],
            timezone={"type": "string"},
            currency={"type": "string"},
            appType={"type": "string", "enum": ["web", "sharepoint"]},
        )
        return {"type": "object", "properties": props}
    return {"type": "object"}


def _body(endpoint: Endpoint) -> dict[str, Any]:
    resource = {
        "type": "object",
        "required": ["type"],
        "properties": {
            "type": {"type": "string", "const": endpoint.body_type},
            "id": {"type": "string"},
            "attributes": _attributes_schema(endpoint.body_type or ""),
        },
    }
    many = endpoint.body_type in (
        "ppms/user",
        "ppms/app",
        "module/access",
    ) and endpoint.path.endswith(
        ("relationships/users", "relationships/apps", "by-users", "/access/user/{user_id}")
    )
    data = {"type": "array", "items": resource} if many else resource
    schema = {"type": "object", "required": ["data"], "properties": {"data": data}}
    return {"required": True, "content": {MEDIA_TYPE: {"schema": schema}}}


def _operation(endpoint: Endpoint) -> dict[str, Any]:
    params = [
        {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
        for name in re.findall(r"{(\w+)}", endpoint.path)
    ]
    if endpoint.method == "GET" and endpoint.summary.startswith("List "):  # the paged lists
        params += [
            {"name": n, "in": "query", "required": False, "schema": {"type": t}}
            for n, t in (
                ("offset", "integer"),
                ("limit", "integer"),
                ("sort", "string"),
                ("search", "string"),
            )
        ]
    success: dict[str, Any] = {"description": "Success"}
    if endpoint.status != 204:
        success["content"] = {MEDIA_TYPE: {"schema": {"type": "object"}}}
    operation: dict[str, Any] = {
        "summary": endpoint.summary,
        "tags": [endpoint.tag],
        "operationId": f"{endpoint.method.lower()}_{re.sub(r'[^a-z0-9]+', '_', endpoint.path.lower()).strip('_')}",
        "parameters": params,
        "responses": {
            str(endpoint.status): success,
            "400": {"description": "Invalid input", "content": {MEDIA_TYPE: {"schema": _ERRORS}}},
        },
    }
    if not endpoint.public:
        operation["security"] = [{"bearer": []}]
        operation["responses"]["401"] = {
            "description": "JWT not found, Expired JWT Token, or access token not authorized",
            "content": {"application/json": {"schema": _UNAUTHORIZED[endpoint.family]}},
        }
        operation["responses"]["403"] = {
            "description": "Access denied.",
            "content": {MEDIA_TYPE: {"schema": _ERRORS}},
        }
    if "{" in endpoint.path:
        operation["responses"]["404"] = {
            "description": "Not found",
            "content": {MEDIA_TYPE: {"schema": _ERRORS}},
        }
    if endpoint.body_type:
        operation["requestBody"] = _body(endpoint)
    return operation


def openapi_document(endpoints: Iterable[Endpoint], version: str) -> dict[str, Any]:
    """The OpenAPI document describing `endpoints`, plus `POST /auth/token`."""
    paths: dict[str, dict[str, Any]] = {
        "/auth/token": {
            "post": {
                "summary": "Access token for API credentials (client_credentials grant)",
                "tags": ["Auth"],
                "operationId": "post_auth_token",
                "requestBody": {
                    "required": True,
                    "content": {
                        ctype: {
                            "schema": {
                                "type": "object",
                                "required": ["grant_type", "client_id", "client_secret"],
                                "properties": {
                                    "grant_type": {"type": "string", "const": "client_credentials"},
                                    "client_id": {"type": "string"},
                                    "client_secret": {"type": "string"},
                                },
                            }
                        }
                        for ctype in ("application/json", "application/x-www-form-urlencoded")
                    },
                },
                "responses": {
                    "200": {
                        "description": '{"token_type":"Bearer","expires_in":1800,"access_token":…}'
                    },
                    "400": {"description": "unsupported_grant_type or invalid_request"},
                    "401": {"description": "invalid_client"},
                    "429": {"description": "too many failed attempts"},
                },
            }
        }
    }
    for endpoint in endpoints:
        paths.setdefault(endpoint.path, {})[endpoint.method.lower()] = _operation(endpoint)
    return {
        "openapi": "3.1.0",
        "info": {"title": "Footfall platform API", "version": version},
        "components": {
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
            },
            "schemas": {"Errors": _ERRORS},
        },
        "paths": paths,
    }
