"""Arbitrary JSON to every write endpoint: a 2xx or a 4xx naming the field, never a 500."""

from __future__ import annotations

import re
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import JSONAPI, Api
from footfall.api.platform import ENDPOINTS
from footfall.meta import services
from footfall.meta.attributes import APP_ATTRIBUTES, TRACKER_ATTRIBUTES
from footfall.meta.groups import create_group
from footfall.meta.meta_sites import create_meta_site
from footfall.meta.store import MetaStore

WRITES = [e for e in ENDPOINTS if e.method != "GET" and e.body_type]
KNOWN = sorted(
    {
        *TRACKER_ATTRIBUTES,
        *APP_ATTRIBUTES,
        "name",
        "urls",
        "email",
        "password",
        "role",
        "language",
        "permission",
        "group",
        "entity_id",
        "currentPassword",
        "newPassword",
        "currency",
        "timezone",
        "external_id",
        "access",
    }
)
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**40), 2**40)
    | st.floats(allow_nan=False)
    | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
attributes = st.dictionaries(st.sampled_from(KNOWN) | st.text(max_size=8), json_values, max_size=4)


def _bodies(type_: str, id_: str) -> st.SearchStrategy[Any]:
    resource = st.fixed_dictionaries(
        {"type": st.just(type_) | st.text(max_size=5), "attributes": attributes},
        optional={"id": st.just(id_) | json_values},
    )
    return st.one_of(
        json_values,
        st.fixed_dictionaries({"data": json_values}),
        st.fixed_dictionaries({"data": resource}),
        st.fixed_dictionaries({"data": st.lists(resource | json_values, max_size=3)}),
    )


@pytest.mark.parametrize("endpoint", WRITES, ids=lambda e: f"{e.method} {e.path}")
def test_arbitrary_bodies_never_500(
    api: Api, meta: MetaStore, owner: services.User, app_id: str, endpoint: Any
) -> None:
    targets = {
        "user_id": services.create_user(meta, "target@example.com").user.id,
        "app_id": app_id,
        "meta_site_id": create_meta_site(meta, {"name": "Site"}).id,
        "group_id": create_group(meta, {"name": "Group"}).id,
        "entity_id": app_id,
    }
    targets["target_id"] = (
        targets["user_id"] if "permission/user/" in endpoint.path else targets["group_id"]
    )
    path = re.sub(r"{(\w+)}", lambda m: targets[m.group(1)], endpoint.path)
    own_id = next(iter(re.findall(r"{(\w+)}", endpoint.path)), None)
    headers = {**api.token(owner), "Content-Type": JSONAPI}

    @settings(
        max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
    )
    @given(body=_bodies(endpoint.body_type, targets.get(own_id or "", "global")))
    def run(body: Any) -> None:
        r = api.http.request(endpoint.method, path, content=orjson.dumps(body), headers=headers)
        assert r.status_code < 500, r.text
        if r.status_code >= 400:
            error = r.json()["errors"][0]
            named = error.get("source", {}).get("pointer") or error.get("source", {}).get(
                "parameter"
            )
            assert named or "does not exist" in error["title"], r.text

    run()
