"""The outbound pages: a supervisor builds, uploads and assigns; an agent sees his queue in working hours only,
an item with its customer and script, and an order taken opens the phone desk pre-filled."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from freightdesk.outbound.models import CallAttempt, CallItem, CallList, ItemState

from .conftest import at

pytestmark = pytest.mark.django_db


def test_a_supervisor_uploads_and_assigns_and_sees_the_problems_by_line(client, now, supervisor, agent):
    client.force_login(supervisor)
    data = "电话,姓名\n13800138001,张三\nabc,李四\n"
    response = client.post(
        "/outbound/lists/upload/", {"file": SimpleUploadedFile("list.csv", data.encode()), "name": "营销"}
    )
    assert response.status_code == 200
    assert "abc" in response.content.decode()
    call_list = CallList.objects.get()
    response = client.post(f"/outbound/lists/{call_list.pk}/assign/", {"agents": [agent.pk]})
    assert response.status_code == 302 and CallItem.objects.get().agent == agent


def test_a_bad_file_is_refused_with_the_reason_and_nothing_written(client, now, supervisor):
    client.force_login(supervisor)
    response = client.post("/outbound/lists/upload/", {"file": SimpleUploadedFile("list.pdf", b"%PDF")})
    assert response.status_code == 422 and ".xlsx" in response.content.decode()
    assert not CallList.objects.exists()


def test_an_order_taken_opens_the_phone_desk_with_the_customer(client, now, supervisor, agent, make_customer):
    make_customer("新客户", "13800000001", now - timedelta(days=1))
    client.force_login(supervisor)
    client.post("/outbound/lists/build/", {"kind": "new"})
    call_list = CallList.objects.get()
    client.post(f"/outbound/lists/{call_list.pk}/assign/", {"agents": [agent.pk]})
    item = CallItem.objects.get(phone="+8613800000001")
    client.force_login(agent)
    page = client.get(f"/outbound/items/{item.pk}/").content.decode()
    assert "新客户" in page and "tel:+8613800000001" in page and "感谢您最近选择我们发货" in page
    response = client.post(f"/outbound/items/{item.pk}/outcome/", {"outcome": "order_taken"})
    assert response.status_code == 302
    assert response["Location"].startswith("/orders/new/?shipper_phone=138") and "shipper_name=" in response["Location"]
    assert CallItem.objects.get(pk=item.pk).state == ItemState.DONE


def test_the_queue_is_empty_outside_working_hours(client, now, agent, time_machine):
    import io

    from freightdesk.outbound import services

    built = services.import_list(upload=io.BytesIO(b"13800138001\n"), filename="a.csv", by=None)
    services.assign_list(call_list=built.call_list, agents=[agent], by=None)
    client.force_login(agent)
    assert "13800138001" in client.get("/outbound/").content.decode().replace("+86", "")
    time_machine.move_to(at("2026-12-07 18:00"), tick=False)
    page = client.get("/outbound/").content.decode()
    assert 'id="closed"' in page and 'data-item="' not in page.split('id="queue"')[1].split("</table>")[0]


def test_another_agents_item_is_not_found(client, now, agent, agent2):
    import io

    from freightdesk.outbound import services

    built = services.import_list(upload=io.BytesIO(b"13800138001\n"), filename="a.csv", by=None)
    services.assign_list(call_list=built.call_list, agents=[agent], by=None)
    client.force_login(agent2)
    item = CallItem.objects.get()
    assert client.get(f"/outbound/items/{item.pk}/").status_code == 404
    assert client.post(f"/outbound/items/{item.pk}/outcome/", {"outcome": "reached"}).status_code == 404
    assert not CallAttempt.objects.exists()
