"""The OpenAPI document at /api/v1/openapi.json loads and describes every path, schema and error."""

from django.test import Client


def _doc():
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def test_openapi_document_lists_the_order_and_region_paths(db):
    paths = _doc()["paths"]

    assert {"/api/v1/orders", "/api/v1/orders/{serial}", "/api/v1/orders/{serial}/timeline", "/api/v1/regions"} <= set(
        paths
    )
    assert set(paths["/api/v1/orders"]) == {"get", "post"}


def test_create_order_documents_body_header_and_every_answer(db):
    doc = _doc()
    post = doc["paths"]["/api/v1/orders"]["post"]

    assert set(post["responses"]) == {"201", "401", "403", "409", "413", "422"}
    assert [p["name"] for p in post["parameters"]] == ["Idempotency-Key"]
    body_ref = post["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    order_in = doc["components"]["schemas"][body_ref.rsplit("/", 1)[1]]
    assert {"shipper", "pickup_address", "consignee", "delivery_address", "goods", "payment_method"} <= set(
        order_in["required"]
    )
    assert doc["components"]["schemas"]["PaymentMethod"]["enum"] == ["shipper_pays", "consignee_pays", "monthly"]
    assert doc["components"]["schemas"]["Status"]["enum"] == [
        "submitted",
        "problem",
        "confirmed",
        "dispatched",
        "picked_up",
        "in_transit",
        "delivered",
        "void",
    ]


def test_every_operation_requires_the_bearer_token(db):
    doc = _doc()

    schemes = doc["components"]["securitySchemes"]
    assert {s["scheme"] for s in schemes.values()} == {"bearer"}  # staff/customer tokens and integration tokens
    for path, operations in doc["paths"].items():
        for method, operation in operations.items():
            if path == "/api/v1/track/{serial}":
                assert not operation.get("security")  # public tracking: the phone's last four digits are the key
                continue
            if path.startswith("/api/v1/conversations"):
                continue  # the public website's chat: the access key is the key; a token is optional (API.md)
            assert operation.get("security"), f"{method} {path} is not protected"


def test_list_query_parameters_are_documented(db):
    get = _doc()["paths"]["/api/v1/orders"]["get"]

    assert {p["name"] for p in get["parameters"]} == {"status", "from", "to", "phone", "cursor", "limit"}
    assert "422" in get["responses"]
