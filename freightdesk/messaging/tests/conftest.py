import contextlib

import pytest
from django.core.management import call_command
from django.db import transaction

from freightdesk.messaging.services import Outgoing, queue_message
from freightdesk.messaging.tests.fakes import FakeGateway


@pytest.fixture
def gateway(settings):
    """gateway("aliyun", fail_every=2) -> a running fake server the SMS settings point at."""
    started = []

    def start(kind="http", **options):
        fake = FakeGateway(kind).start()
        for name, value in options.items():
            setattr(fake, name, value)
        started.append(fake)
        settings.SMS_BACKEND = kind
        settings.SMS = {
            **settings.SMS,
            "HTTP_URL": fake.url,
            "HTTP_TOKEN": "t",
            "ALIYUN_ENDPOINT": fake.endpoint,
            "ALIYUN_PROTOCOL": "http",
            "ALIYUN_ACCESS_KEY_ID": "ak",
            "ALIYUN_ACCESS_KEY_SECRET": "sk",
            "TENCENT_ENDPOINT": fake.endpoint,
            "TENCENT_PROTOCOL": "http",
            "TENCENT_SECRET_ID": "id",
            "TENCENT_SECRET_KEY": "key",
            "TENCENT_SDK_APP_ID": "1400000000",
            "TIMEOUT_SECONDS": 3,
            "RECEIPT_TOKEN": "receipt-secret",
        }
        return fake

    yield start
    for fake in started:
        fake.stop()


def worker_dies_after_sending(monkeypatch, key: str):
    """The configured gateway accepts the message ``key``, then the worker dies (SystemExit) before it records the
    answer. Returns what puts the real send back."""
    from freightdesk.messaging.gateways import get_gateway

    gateway_class = type(get_gateway())
    real_send = gateway_class.send

    def send(self, message):
        provider_id = real_send(self, message)
        if message.idempotency_key == key:
            raise SystemExit("worker killed after the provider accepted")
        return provider_id

    monkeypatch.setattr(gateway_class, "send", send)
    return lambda: monkeypatch.setattr(gateway_class, "send", real_send)


def run_worker():
    """The real task worker, in batch mode: runs every due task on every queue, then returns."""
    call_command("db_worker", batch=True, reload=False, startup_delay=False, queue_name="*", verbosity=0)


TEMPLATE_PARAMS = {
    "aliyun": ("SMS_DISPATCH", {"serial": "261123001", "agent_id": "8011"}),
    "tencent": ("1000001", ["261123001", "8011"]),
}


@pytest.fixture
def queue(django_capture_on_commit_callbacks, settings):
    """queue(to=..., n=1) -> messages written in a transaction, their send tasks enqueued on commit."""

    def make(to="+8613800138000", n=1, text="261123001客王先配件15件8011", key_prefix="m"):
        code, params = TEMPLATE_PARAMS.get(settings.SMS_BACKEND, ("", None))
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            return [
                queue_message(
                    outgoing=Outgoing(
                        to=to,
                        text=text,
                        signature="【滴客】",
                        role="driver",
                        name="张师傅",
                        template_code=code,
                        template_params=params,
                    ),
                    key=f"{key_prefix}{i}",
                )
                for i in range(n)
            ]

    return make


@pytest.fixture(autouse=True)
def english():
    """Rule tests read the English msgids; the Chinese translations are checked by the i18n pass."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def gateway_not_seen_answering():
    """Each test starts with no send taken by the gateway (the outbox's short-backoff signal, in the shared cache)."""
    from django.core.cache import cache

    from freightdesk.messaging import outbox

    def forget():
        outbox._noted.clear()
        for backend in ("aliyun", "tencent", "http", "console"):
            with contextlib.suppress(Exception):  # a test without the database has no cache table, so no mark
                cache.delete(outbox.answered_key(backend))

    forget()
    yield
    forget()
