"""Bad input -> 422 {"errors": {"<field path>": [...]}} in the request's language; nothing written;
never a 500 (API.md conventions, issue 2 "Bad input")."""

import json

import pytest
from django.utils import translation

from freightdesk.customers.models import Customer
from freightdesk.orders.models import Order

from .conftest import example_order


def _errors(response) -> dict:
    assert response.status_code == 422, response.content
    return response.json()["errors"]


@pytest.mark.parametrize(
    ("change", "path"),
    [
        ({"shipper": {"name": "王先生", "phone": "12345"}}, "shipper.phone"),
        ({"consignee": {"name": "马先生", "phone": "not a phone"}}, "consignee.phone"),
        ({"goods__quantity": 0}, "goods.quantity"),
        ({"goods__quantity": -3}, "goods.quantity"),
        ({"goods__weight_kg": "-200"}, "goods.weight_kg"),
        ({"goods__weight_kg": "0"}, "goods.weight_kg"),
        ({"goods__volume_m3": "10000"}, "goods.volume_m3"),
        ({"goods__volume_m3": "1e400"}, "goods.volume_m3"),
        ({"goods__weight_kg": 1e308}, "goods.weight_kg"),
        ({"goods__quantity": 10**30}, "goods.quantity"),
        ({"goods__quantity": "fifteen"}, "goods.quantity"),
        ({"goods__quantity": 1.5}, "goods.quantity"),
        ({"goods__weight_kg": "NaN"}, "goods.weight_kg"),
        ({"goods__name": ""}, "goods.name"),
        ({"goods__name": "配" * 41}, "goods.name"),
        ({"pickup_address": ""}, "pickup_address"),
        ({"delivery_address": "   "}, "delivery_address"),
        ({"pickup_address": "汽配城" * 100}, "pickup_address"),
        ({"note": "x" * 201}, "note"),
        ({"pickup_region": "atlantis"}, "pickup_region"),
        ({"delivery_address": "月球背面"}, "delivery_region"),
        ({"payment_method": "cash"}, "payment_method"),
        ({"channel": "fax"}, "channel"),
        ({"extra_fees": [{"kind": "loading", "amount": "-5"}]}, "extra_fees.0.amount"),
        ({"extra_fees": [{"kind": "loading", "amount": "1.005"}]}, "extra_fees.0.amount"),
        ({"extra_fees": [{"kind": "tip", "amount": "5"}]}, "extra_fees.0.kind"),
        ({"extra_fees": "loading"}, "extra_fees"),
        ({"shipper": "王先生"}, "shipper"),
        ({"shipper": {"name": 5, "phone": "13800138000"}}, "shipper.name"),
        ({"goods": None}, "goods"),
        ({"delivery_deadline": "tomorrow"}, "delivery_deadline"),
        ({"delivery_deadline": 1795000000}, "delivery_deadline"),
        ({"goods__quantity": "15"}, "goods.quantity"),
        ({"goods__quantity": True}, "goods.quantity"),
        ({"goods__packaging_ok": "yes"}, "goods.packaging_ok"),
        ({"goods__weight_kg": True}, "goods.weight_kg"),
        ({"extra_fees": [{"kind": "other", "amount": "1.00"}] * 11}, "extra_fees"),
        ({"delivery_deadline": "2020-01-01T10:00:00+08:00"}, "delivery_deadline"),
    ],
)
def test_each_bad_field_is_named_by_its_json_path_and_nothing_is_written(api, change, path):
    response = api.post("/orders", example_order(**change))

    errors = _errors(response)
    assert path in errors, errors
    assert all(isinstance(m, str) and m for m in errors[path])
    assert Order.objects.count() == 0
    assert Customer.objects.count() == 0


def test_every_bad_field_is_reported_at_once(api):
    body = example_order(shipper={"name": "", "phone": "123"}, goods__quantity=0, pickup_address="")

    errors = _errors(api.post("/orders", body))

    assert {"shipper.name", "shipper.phone", "goods.quantity", "pickup_address"} <= set(errors)


def test_second_fee_error_names_its_index(api):
    fees = [{"kind": "loading", "amount": "100.00"}, {"kind": "other", "amount": "-1"}]

    errors = _errors(api.post("/orders", example_order(extra_fees=fees)))

    assert list(errors) == ["extra_fees.1.amount"]


def test_missing_field_is_required_in_chinese_by_default(api):
    body = example_order()
    del body["consignee"]["phone"]

    errors = _errors(api.post("/orders", body))

    with translation.override("zh-hans"):
        expected = translation.gettext("This field is required.")
    assert expected != "This field is required."  # a Chinese catalogue is installed
    assert errors == {"consignee.phone": [expected]}


def test_missing_field_is_required_in_english_when_asked(api):
    body = example_order()
    del body["consignee"]["phone"]

    errors = _errors(api.as_(lang="en-US,en;q=0.9").post("/orders", body))

    assert errors == {"consignee.phone": ["This field is required."]}


def test_unknown_payment_method_message_follows_accept_language(api):
    body = example_order(payment_method="cash")

    zh = _errors(api.as_(lang="zh-CN").post("/orders", body))["payment_method"]
    en = _errors(api.as_(lang="en").post("/orders", body))["payment_method"]

    msgid = "Select a valid choice. %(value)s is not one of the available choices."
    with translation.override("zh-hans"):
        expected_zh = translation.gettext(msgid) % {"value": "cash"}
    assert zh == [expected_zh]
    assert en == ["Select a valid choice. cash is not one of the available choices."]
    assert zh != en


def test_over_long_name_says_how_long_in_both_languages(api):
    body = example_order(shipper={"name": "王" * 41, "phone": "13800138000"})

    zh = _errors(api.post("/orders", body))["shipper.name"]
    en = _errors(api.as_(lang="en").post("/orders", body))["shipper.name"]

    assert en == ["Ensure this value has at most 40 characters (it has 41)."]
    assert zh != en and "40" in zh[0] and "41" in zh[0]


def test_bad_phone_quotes_what_was_sent(api):
    errors = _errors(api.as_(lang="en").post("/orders", example_order(shipper={"name": "王先生", "phone": "12345"})))

    assert "12345" in errors["shipper.phone"][0]


@pytest.mark.parametrize(
    "raw",
    ["{bad json", "", "[1, 2]", '"just a string"', "null", '{"goods": NaN}', "\xff\xfe", "[" * 100000],
)
def test_malformed_or_non_object_body_is_422_not_500(api, raw):
    response = api.post("/orders", raw=raw.encode("utf-8", "surrogateescape") if isinstance(raw, str) else raw)

    errors = _errors(response)
    assert errors
    assert Order.objects.count() == 0


def test_malformed_json_message_in_english(api):
    errors = _errors(api.as_(lang="en").post("/orders", raw="{bad"))

    assert errors == {"__all__": ["The request body is not valid JSON."]}


@pytest.mark.django_db(transaction=True)
def test_prohibited_goods_is_refused_on_goods_name_and_the_enquiry_is_kept(api, django_capture_on_commit_callbacks):
    from django.core.management import call_command

    from freightdesk.network.models import ProhibitedGoods
    from freightdesk.orders.models import Enquiry, EnquiryOutcome

    ProhibitedGoods.objects.update_or_create(
        name="雷管", defaults={"category": "爆炸物品", "synonyms": "导火索", "reason": "Explosive."}
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = api.as_(lang="en").post("/orders", example_order(goods__name="雷管"))

    errors = _errors(response)
    assert list(errors) == ["goods.name"]
    assert "雷管" in errors["goods.name"][0] and "爆炸物品" in errors["goods.name"][0]
    assert Order.objects.count() == 0
    call_command("db_worker", batch=True, reload=False, startup_delay=False, queue_name="*", verbosity=0)
    enquiry = Enquiry.objects.get()
    assert enquiry.outcome == EnquiryOutcome.REFUSED
    assert enquiry.goods_name == "雷管"
    assert enquiry.pickup_region.code == "north"


def test_body_hash_is_not_confused_by_key_order(api):
    body = example_order()
    reordered = json.loads(json.dumps(dict(reversed(list(body.items())))))

    first = api.post("/orders", body, headers={"Idempotency-Key": "k-order"})
    second = api.post("/orders", reordered, headers={"Idempotency-Key": "k-order"})

    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json() == second.json()
    assert Order.objects.count() == 1
