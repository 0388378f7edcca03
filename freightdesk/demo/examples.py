"""The source documents' examples as data, for tests and benchmarks (no Django imports: conftest loads it early)."""

# The example phone order (SPEC §3/§6: 110310221客王先件15件200公斤2.2方汽配城往火车站 收货马先付。加装卸费100,15点前送达。8011),
# as the phone order form posts it.
EXAMPLE_ORDER = {
    "shipper_phone": "13800138000",
    "shipper_name": "王先生",
    "pickup_address": "汽配城",
    "goods_name": "配件",
    "quantity": "15",
    "weight_kg": "200",
    "volume_m3": "2.2",
    "packaging_ok": "on",
    "consignee_name": "马先生",
    "consignee_phone": "13900139000",
    "delivery_address": "火车站",
    "payment_method": "shipper_pays",
    "loading_fee": "100",
    "note": "15点前送达",
}

# The same order as `POST /api/v1/orders` takes it (API.md).
EXAMPLE_ORDER_JSON = {
    "channel": "phone",
    "shipper": {"name": "王先生", "phone": "13800138000"},
    "pickup_address": "汽配城",
    "consignee": {"name": "马先生", "phone": "13900139000"},
    "delivery_address": "火车站",
    "goods": {"name": "配件", "quantity": 15, "weight_kg": "200", "volume_m3": "2.2", "packaging_ok": True},
    "payment_method": "shipper_pays",
    "extra_fees": [{"kind": "loading", "amount": "100.00"}],
    "note": "15点前送达",
}
