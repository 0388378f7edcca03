"""Template mode end to end: with the Aliyun or Tencent gateway the dispatch fills the approved template."""

import pytest
from django.core.management import call_command

from freightdesk.dispatch.models import DriverLink
from freightdesk.dispatch.services import dispatch_order
from freightdesk.messaging.models import Message
from freightdesk.messaging.seeds import seed_default_templates, seed_driver_link_template
from freightdesk.messaging.tests.fakes import FakeGateway

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def fake(settings, request):
    gateway = FakeGateway(request.param).start()
    settings.SMS_BACKEND = request.param
    settings.SMS = {
        **settings.SMS,
        "ALIYUN_ENDPOINT": gateway.endpoint,
        "ALIYUN_PROTOCOL": "http",
        "ALIYUN_ACCESS_KEY_ID": "ak",
        "ALIYUN_ACCESS_KEY_SECRET": "sk",
        "TENCENT_ENDPOINT": gateway.endpoint,
        "TENCENT_PROTOCOL": "http",
        "TENCENT_SECRET_ID": "id",
        "TENCENT_SECRET_KEY": "key",
        "TENCENT_SDK_APP_ID": "1400000000",
        "TIMEOUT_SECONDS": 3,
    }
    yield gateway
    gateway.stop()


def seed_templates():
    """Transactional tests flush the data migration's rows; put the seeded templates back."""

    from django.apps import apps

    seed_default_templates(apps)
    seed_driver_link_template(apps)


@pytest.mark.parametrize("fake", ["aliyun", "tencent"], indirect=True)
def test_the_dispatch_goes_out_as_the_approved_template_with_its_variables(
    fake, seed_order, desk_agent, django_capture_on_commit_callbacks
):
    seed_templates()
    with django_capture_on_commit_callbacks(execute=True):
        result = dispatch_order(order=seed_order, agent=desk_agent)
    message = result.messages[0]
    assert message.template_code == ("SMS_DISPATCH" if fake.kind == "aliyun" else "1000001")
    call_command("db_worker", batch=True, reload=False, startup_delay=False, queue_name="*", verbosity=0)
    assert set(Message.objects.values_list("state", flat=True)) == {"sent"}
    driver = next(d for d in fake.deliveries if d["to"] == "13700137000")
    params = driver["params"]
    values = list(params.values()) if isinstance(params, dict) else params
    for must in (seed_order.serial, "13800138000", "13900139000", "15", "200", "2.2", "8011"):
        assert must in values
    dispatched = [d for d in fake.deliveries if d["to"] != "13800138000"]  # not the customer's 下单成功提醒
    assert driver["sign"] == "滴客" and len(dispatched) == 3


@pytest.mark.parametrize("fake", ["aliyun", "tencent"], indirect=True)
def test_the_driver_s_link_goes_out_as_its_approved_template_with_only_the_token_in_a_variable(
    fake, seed_order, desk_agent, django_capture_on_commit_callbacks
):
    """The providers refuse links inside variables: the approved text holds the address, the token ends it."""
    seed_templates()
    with django_capture_on_commit_callbacks(execute=True):
        result = dispatch_order(order=seed_order, agent=desk_agent)
    call_command("db_worker", batch=True, reload=False, startup_delay=False, queue_name="*", verbosity=0)
    token = DriverLink.objects.get(order=seed_order).token
    sent = next(d for d in fake.deliveries if d["key"] == result.link_message.idempotency_key)
    assert sent["to"] == "13700137000" and sent["sign"] == "滴客"
    if fake.kind == "aliyun":
        assert sent["template"] == "SMS_DRIVER_LINK" and sent["params"] == {"serial": seed_order.serial, "token": token}
    else:
        assert sent["template"] == "1000004" and sent["params"] == [seed_order.serial, token]
    assert not any(
        "://" in value for value in (sent["params"].values() if isinstance(sent["params"], dict) else sent["params"])
    )
    # what the phone shows: the approved text, the address ending in this order's token
    assert result.link_message.text.endswith(f"/tracking/d/{token}/") and "://" in result.link_message.text
    assert Message.objects.get(pk=result.link_message.pk).state == "sent"
