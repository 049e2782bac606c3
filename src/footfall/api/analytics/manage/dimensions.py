"""Custom dimensions, their slots, and product custom dimensions (api-notes §2).

`tracking_id` (the N of `dimensionN`) and `slot` (the store column) are read-only after create;
Piwik PRO deletes no dimension, it switches one off with `active: false`.
"""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from footfall.api.analytics.manage.common import (
    endpoint,
    paging,
    website_from_attributes,
    website_from_query,
)
from footfall.api.platform.jsonapi import Call, document, resource, timestamp, uuid_value
from footfall.meta import custom_dimensions as service
from footfall.meta import product_dimensions as products
from footfall.meta.custom_dimensions import CustomDimension
from footfall.meta.product_dimensions import ProductCustomDimension

__all__ = ["ENDPOINTS", "PRODUCT_TYPE", "SLOTS_TYPE", "TYPE"]

TYPE = "CustomDimension"
SLOTS_TYPE = "CustomDimensionSlots"
PRODUCT_TYPE = "ProductCustomDimension"


def _item(d: CustomDimension) -> dict[str, Any]:
    return resource(
        TYPE,
        d.id,
        {
            "website_id": d.website_id,
            "name": d.name,
            "description": d.description,
            "active": d.active,
            "case_sensitive": d.case_sensitive,
            "scope": d.scope,
            "slot": d.slot,
            "tracking_id": d.tracking_id,
            "extractions": [dict(e) for e in d.extractions],
        },
    )


def _product(d: ProductCustomDimension) -> dict[str, Any]:
    return resource(
        PRODUCT_TYPE,
        d.id,
        {
            "website_id": d.website_id,
            "name": d.name,
            "slot": d.slot,
            "created_at": timestamp(d.created_at),
            "updated_at": timestamp(d.updated_at),
        },
    )


def _id(call: Call) -> str:
    return uuid_value(call.path["dimension_id"], parameter="id")


def create(call: Call) -> Response:
    attributes = call.attributes()
    app_id = website_from_attributes(call, attributes, "edit")
    dimension = service.create_custom_dimension(call.ctx.meta, app_id, attributes, call.actor)
    return document(_item(dimension), status=201)


def list_(call: Call) -> Response:
    app_id = website_from_query(call, "view")
    offset, limit = paging(call)
    total, items = service.list_custom_dimensions(call.ctx.meta, app_id, offset, limit)
    return document([_item(d) for d in items], {"total": total})


def get(call: Call) -> Response:
    app_id = website_from_query(call, "view")
    return document(_item(service.get_custom_dimension(call.ctx.meta, app_id, _id(call))))


def put(call: Call) -> Response:
    dimension_id = _id(call)
    attributes = call.attributes(id_=dimension_id)
    app_id = website_from_attributes(call, attributes, "edit")
    changed = service.update_custom_dimension(
        call.ctx.meta, app_id, dimension_id, attributes, call.actor
    )
    return document(_item(changed))


def slots(call: Call) -> Response:
    app_id = website_from_query(call, "view")
    usage = service.slot_usage(call.ctx.meta, app_id)
    return document(resource(SLOTS_TYPE, app_id, usage))


def create_product(call: Call) -> Response:
    attributes = call.attributes()
    app_id = website_from_attributes(call, attributes, "edit")
    made = products.create_product_custom_dimension(call.ctx.meta, app_id, attributes, call.actor)
    return document(_product(made), status=201)


def list_products(call: Call) -> Response:
    app_id = website_from_query(call, "view")
    offset, limit = paging(call)
    total, items = products.list_product_custom_dimensions(call.ctx.meta, app_id, offset, limit)
    return document([_product(d) for d in items], {"total": total})


def get_product(call: Call) -> Response:
    app_id = website_from_query(call, "view")
    found = products.get_product_custom_dimension(call.ctx.meta, app_id, _id(call))
    return document(_product(found))


def put_product(call: Call) -> Response:
    dimension_id = _id(call)
    attributes = call.attributes(id_=dimension_id)
    app_id = website_from_attributes(call, attributes, "edit")
    changed = products.update_product_custom_dimension(
        call.ctx.meta, app_id, dimension_id, attributes, call.actor
    )
    return document(_product(changed))


_CD = "/custom-dimensions/"
_PCD = "/product-custom-dimensions/"
ENDPOINTS = [
    endpoint("GET", _CD + "slots/", slots, "Slots of a website: available, used, left"),
    endpoint("POST", _CD, create, "Create a custom dimension", body_type=TYPE, status=201),
    endpoint("GET", _CD, list_, "List the custom dimensions of a website"),
    endpoint("GET", _CD + "{dimension_id}/", get, "Get a custom dimension"),
    endpoint("PUT", _CD + "{dimension_id}/", put, "Change a custom dimension", body_type=TYPE),
    endpoint(
        "POST",
        _PCD,
        create_product,
        "Create a product custom dimension",
        body_type=PRODUCT_TYPE,
        status=201,
    ),
    endpoint("GET", _PCD, list_products, "List the product custom dimensions of a website"),
    endpoint("GET", _PCD + "{dimension_id}/", get_product, "Get a product custom dimension"),
    endpoint(
        "PUT",
        _PCD + "{dimension_id}/",
        put_product,
        "Change a product custom dimension",
        body_type=PRODUCT_TYPE,
    ),
]
