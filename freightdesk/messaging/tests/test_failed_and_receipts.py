"""Failed messages (fix the number, resend) and delivery receipts from each provider."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from freightdesk.messaging.models import Message

pytestmark = pytest.mark.django_db


@pytest.fixture
def agent_client(client):
    user = get_user_model().objects.create_user("8011", password="x")
    user.groups.add(Group.objects.get_or_create(name="agent")[0])
    client.force_login(user)
    return client


def failed(queue, settings):
    settings.SMS_BACKEND = "console"
    [message] = queue()
    Message.objects.filter(pk=message.pk).update(
        state="failed",
        error_kind="permanent",
        failed_at=timezone.now(),
        last_error="isv.MOBILE_NUMBER_ILLEGAL: 非法手机号",
    )
    message.refresh_from_db()
    return message


def test_the_failed_page_shows_the_reason_and_the_agent_resends_to_the_fixed_number(
    agent_client, queue, settings, django_capture_on_commit_callbacks
):
    message = failed(queue, settings)
    page = agent_client.get(reverse("messaging:failed")).content.decode()
    assert "非法手机号" in page and f"message-{message.pk}" in page
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = agent_client.post(
            reverse("messaging:resend", args=[message.pk]), {f"m{message.pk}-to": "139 0013 9000"}
        )
    assert response.status_code == 302
    new = Message.objects.get(replaces=message)
    assert new.to == "+8613900139000" and new.state == "queued" and new.text == message.text
    assert new.idempotency_key != message.idempotency_key and not callbacks
    rows = DBTaskResult.objects.filter(task_path__endswith=".send_messages").values_list("args_kwargs", flat=True)
    assert [new.pk] in [row["kwargs"]["message_ids"] for row in rows]  # its send task, written with it
    message.refresh_from_db()
    assert message.resolved_at is not None
    assert f"message-{message.pk}" not in agent_client.get(reverse("messaging:failed")).content.decode()


def test_a_bad_number_on_resend_is_refused_with_a_message_and_nothing_is_queued(agent_client, queue, settings):
    message = failed(queue, settings)
    response = agent_client.post(
        reverse("messaging:resend", args=[message.pk]),
        {f"m{message.pk}-to": "12345"},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "no valid mobile number" in response.content.decode()
    assert Message.objects.count() == 1


def test_a_sent_message_cannot_be_resent(agent_client, queue, settings):
    settings.SMS_BACKEND = "console"
    [message] = queue()
    agent_client.post(reverse("messaging:resend", args=[message.pk]), {f"m{message.pk}-to": "13900139000"})
    assert Message.objects.count() == 1


def test_resend_is_post_only(agent_client, queue, settings):
    message = failed(queue, settings)
    assert agent_client.get(reverse("messaging:resend", args=[message.pk])).status_code == 405


def sent(queue, settings, provider_id="biz-1"):
    settings.SMS_BACKEND = "console"
    settings.SMS = {**settings.SMS, "RECEIPT_TOKEN": "receipt-secret"}
    [message] = queue()
    Message.objects.filter(pk=message.pk).update(state="sent", provider_message_id=provider_id, sent_at=timezone.now())
    message.refresh_from_db()
    return message


def push(client, backend, payload, token="receipt-secret"):
    return client.post(
        f"/messaging/receipts/{backend}/?token={token}",
        json.dumps(payload, ensure_ascii=False),
        content_type="application/json",
    )


def test_an_aliyun_receipt_marks_the_message_delivered(client, queue, settings):
    message = sent(queue, settings)
    response = push(
        client,
        "aliyun",
        [
            {
                "phone_number": "13800138000",
                "success": True,
                "err_code": "DELIVERED",
                "err_msg": "用户接收成功",
                "biz_id": "biz-1",
                "out_id": message.idempotency_key,
            }
        ],
    )
    assert response.json() == {"code": 0, "msg": "成功"}
    message.refresh_from_db()
    assert message.state == "delivered" and message.delivered_at


def test_a_tencent_failure_receipt_marks_the_message_failed_for_an_agent(client, queue, settings):
    message = sent(queue, settings, provider_id="sid-9")
    response = push(
        client,
        "tencent",
        [
            {
                "sid": "sid-9",
                "report_status": "FAIL",
                "errmsg": "MK:0001",
                "description": "用户关机",
                "mobile": "13800138000",
                "nationcode": "86",
            }
        ],
    )
    assert response.json() == {"result": 0, "errmsg": "OK"}
    message.refresh_from_db()
    assert message.state == "failed" and "用户关机" in message.last_error


def test_a_generic_receipt_is_idempotent_and_never_moves_back(client, queue, settings):
    message = sent(queue, settings, provider_id="h-1")
    push(client, "http", {"id": "h-1", "status": "delivered"})
    push(client, "http", {"id": "h-1", "status": "failed", "error": "late duplicate"})
    message.refresh_from_db()
    assert message.state == "delivered" and message.last_error == ""


def test_receipts_need_the_shared_secret(client, queue, settings):
    message = sent(queue, settings)
    assert push(client, "http", {"id": "biz-1", "status": "delivered"}, token="wrong").status_code == 403
    settings.SMS = {**settings.SMS, "RECEIPT_TOKEN": ""}
    assert push(client, "http", {"id": "biz-1", "status": "delivered"}, token="").status_code == 403
    message.refresh_from_db()
    assert message.state == "sent"


def test_an_unreadable_receipt_is_a_400(client, queue, settings):
    sent(queue, settings)
    response = client.post(
        "/messaging/receipts/http/?token=receipt-secret", "not json", content_type="application/json"
    )
    assert response.status_code == 400
