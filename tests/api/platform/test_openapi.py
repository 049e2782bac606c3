"""/api/docs: one OpenAPI operation for every route, with bodies and the documented errors."""

from __future__ import annotations

from conftest import Api
from footfall.api.platform import ENDPOINTS


def test_every_endpoint_is_documented(api: Api) -> None:
    r = api.http.request("GET", "/api/docs")
    assert r.status_code == 200
    document = r.json()
    assert document["openapi"].startswith("3.")
    for endpoint in ENDPOINTS:
        operation = document["paths"][endpoint.path][endpoint.method.lower()]
        assert operation["summary"] and str(endpoint.status) in operation["responses"]
        assert "401" in operation["responses"] and "403" in operation["responses"]
        if endpoint.body_type:
            assert "application/vnd.api+json" in operation["requestBody"]["content"]
    ids = [op["operationId"] for path in document["paths"].values() for op in path.values()]
    assert len(ids) == len(set(ids)) == len(ENDPOINTS) + 1  # + POST /auth/token
    app = document["paths"]["/api/apps/v2"]["post"]["requestBody"]["content"][
        "application/vnd.api+json"
    ]
    attributes = app["schema"]["properties"]["data"]["properties"]["attributes"]["properties"]
    assert {"name", "urls", "excludedIps", "gdprDataAnonymizationMode"} <= set(attributes)
