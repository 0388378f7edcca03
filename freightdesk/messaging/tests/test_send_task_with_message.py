"""A message's send task is written in the message's own transaction: both commit, or neither."""

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from freightdesk.messaging.models import Message
from freightdesk.messaging.services import Outgoing, queue_message

pytestmark = pytest.mark.django_db(transaction=True)

OUTGOING = Outgoing(to="+8613800138000", text="261123001客王先配件15件8011", signature="【滴客】", role="driver")


def send_task_ids() -> list[list[int]]:
    rows = DBTaskResult.objects.filter(task_path__endswith=".send_messages").values_list("args_kwargs", flat=True)
    return [row["kwargs"]["message_ids"] for row in rows]


def test_the_send_task_is_written_inside_the_transaction_and_commits_with_the_message():
    with transaction.atomic():
        message = queue_message(outgoing=OUTGOING, key="with-task")
        assert send_task_ids() == [[message.pk]]  # before the commit, in the same transaction
    assert send_task_ids() == [[message.pk]]


def test_a_message_rolled_back_takes_its_send_task_with_it():
    class Abandoned(Exception):
        pass

    with pytest.raises(Abandoned), transaction.atomic():
        queue_message(outgoing=OUTGOING, key="rolled-back")
        raise Abandoned
    assert not Message.objects.exists()
    assert send_task_ids() == []


def test_another_task_backend_is_called_on_commit(settings):
    from django_tasks import task_backends

    settings.TASKS = {"default": {**settings.TASKS["default"], "BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    backend = task_backends["default"]
    with transaction.atomic():
        queue_message(outgoing=OUTGOING, key="other-backend")
        assert backend.results == []  # not before the commit
    assert len(backend.results) == 1
    assert send_task_ids() == []
