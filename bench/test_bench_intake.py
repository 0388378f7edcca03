"""bench_intake.py --customers: the customers made before the rounds are the ones the requests name, so a spread
create finds its shipper and consignee known, as most of a desk's creates do (no new customer is made)."""

import bench_intake  # bench/ is on the path of its own tests

from freightdesk.accounts.models import ApiToken
from freightdesk.customers.models import Customer


def spread_order(shipper: int, consignee: int) -> str:
    """The request body as the wrk script fills it in for these two of the spread customers."""
    fields = {
        "@SP@": str(bench_intake.FIRST_PHONE + shipper),
        "@SN@": "李女士",
        "@CP@": str(bench_intake.FIRST_PHONE + consignee),
        "@CN@": "赵先生",
    }
    body = bench_intake.body(3)
    for placeholder, value in fields.items():
        body = body.replace(placeholder, value)
    return body


def test_spread_creates_name_the_customers_made_before_the_rounds(demo, client, agent):
    exec(bench_intake.SEED_CUSTOMERS % {"first": bench_intake.FIRST_PHONE, "count": 3}, {})  # as `manage.py shell -c`
    made = Customer.objects.count()
    token = ApiToken.issue(agent)[1]

    for shipper, consignee in ((0, 2), (1, 0), (2, 1)):
        response = client.post(
            "/api/v1/orders",
            spread_order(shipper, consignee),
            content_type="application/json",
            headers={"Authorization": f"Bearer {token}"},
        )
        assert response.status_code == 201, response.content

    assert Customer.objects.count() == made
    assert (
        Customer.objects.filter(phones__number=f"+86{bench_intake.FIRST_PHONE + 2}").get().shipped_orders.count() == 1
    )


def test_the_example_order_is_posted_as_it_is_without_spread_customers():
    assert "@SP@" not in bench_intake.body(0) and "13800138000" in bench_intake.body(0)
