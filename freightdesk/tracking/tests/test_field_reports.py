"""The driver's own page (SPEC §7): his reports with the phone's position and proof of delivery; a report sent
twice (kept offline, then sent) counts once; another driver's order, a position out of range, a photo over 10 MB or
not an image, pieces that differ and a delivery before the pickup are refused with the reason, nothing written."""

import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.utils import timezone, translation
from PIL import Image

from freightdesk.core.errors import DomainError
from freightdesk.network.models import Driver
from freightdesk.orders.models import Order, OrderEvent
from freightdesk.tracking.field_reports import Report, checked_position, report_from_driver
from freightdesk.tracking.models import FieldReport, StatusEvent
from freightdesk.tracking.selectors import geo_uri, last_position

pytestmark = pytest.mark.django_db


def png(width=4, height=3) -> bytes:
    """A real, tiny PNG image."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


@pytest.fixture(autouse=True)
def english():
    """The rules are read in the English msgids; the Chinese ones are checked by the translations' tests."""
    with translation.override("en"):
        yield


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def order(dispatched):
    return dispatched(timezone.now() - timezone.timedelta(minutes=10))


@pytest.fixture
def me(user_for):
    return Driver.objects.get(user=user_for("driver"))


def written(order):
    return (
        FieldReport.objects.filter(order=order).count(),
        StatusEvent.objects.filter(order=order).count(),
        OrderEvent.objects.filter(order=order).count(),
        Order.objects.get(pk=order.pk).status,
    )


def pickup(key="key-pickup-1", **changes):
    return Report(**{"kind": "picked_up", "key": key, "pieces": 15, "place": "汽配城", **changes})


def test_a_pickup_with_the_phones_position_becomes_the_orders_last_known_position(order, me):
    report = pickup(position=checked_position("31.230416", "121.473701", "12.4"))

    row, replayed = report_from_driver(driver=me, serial=order.serial, report=report)

    assert not replayed and Order.objects.get(pk=order.pk).status == "picked_up"
    assert row.event.type == "picked_up" and row.event.source == "driver_page" and row.event.by_label == "刘师傅"
    last = last_position(order.pk)
    assert (str(last.latitude), str(last.longitude), last.accuracy_m, last.place) == (
        "31.230416",
        "121.473701",
        12,
        "汽配城",
    )
    assert geo_uri(last).startswith("geo:31.230416,121.473701?q=31.230416,121.473701(")


def test_the_same_report_sent_twice_is_stored_once(order, me):
    first, _ = report_from_driver(driver=me, serial=order.serial, report=pickup())
    before = written(order)

    again, replayed = report_from_driver(driver=me, serial=order.serial, report=pickup())

    assert replayed and again.pk == first.pk
    assert written(order) == before


def test_another_drivers_order_is_not_found_and_nothing_is_written(order):
    stranger = Driver.objects.create(name="外人", phone="+8613811110000")
    before = written(order)

    with pytest.raises(Http404):
        report_from_driver(driver=stranger, serial=order.serial, report=pickup())

    assert written(order) == before


@pytest.mark.parametrize(("lat", "lng"), [("91", "121"), ("31", "-180.5"), ("31", ""), ("north", "121")])
def test_a_position_out_of_range_is_refused(lat, lng):
    with pytest.raises(DomainError) as refused:
        checked_position(lat, lng)

    assert refused.value.http_status == 422


def test_a_delivery_before_the_pickup_is_refused_with_the_reason(order, me):
    before = written(order)

    with pytest.raises(DomainError) as refused:
        report_from_driver(
            driver=me, serial=order.serial, report=Report(kind="delivered", key="key-deliver-1", receiver="马先生")
        )

    assert "has not been picked up" in refused.value.message
    assert written(order) == before


def test_a_pickup_whose_pieces_differ_is_refused(order, me):
    before = written(order)

    with pytest.raises(DomainError) as refused:
        report_from_driver(driver=me, serial=order.serial, report=pickup(pieces=14))

    assert refused.value.field == "pieces" and "14" in refused.value.message
    assert written(order) == before


def test_a_delivery_with_a_photo_of_the_signed_note_is_stored_through_the_storage(order, me, media):
    report_from_driver(driver=me, serial=order.serial, report=pickup())
    photo = SimpleUploadedFile("note.png", png(), content_type="image/png")

    row, _ = report_from_driver(
        driver=me,
        serial=order.serial,
        report=Report(kind="delivered", key="key-deliver-2", receiver="马先生", photo=photo),
    )

    assert Order.objects.get(pk=order.pk).status == "delivered"
    assert row.receiver == "马先生" and "马先生" in row.event.note
    stored = media / row.photo.name
    assert stored.exists() and stored.stat().st_size > 0


def test_a_large_photo_is_stored_upright_and_scaled_down_as_a_jpeg(order, me, media):
    report_from_driver(driver=me, serial=order.serial, report=pickup())
    photo = SimpleUploadedFile("note.png", png(width=4000, height=3000), content_type="image/png")

    row, _ = report_from_driver(
        driver=me,
        serial=order.serial,
        report=Report(kind="delivered", key="key-deliver-big", receiver="马先生", photo=photo),
    )

    with Image.open(media / row.photo.name) as stored:
        assert (stored.format, stored.size) == ("JPEG", (1600, 1200))


def test_a_photo_with_an_image_header_but_broken_content_is_refused(order, me, media):
    report_from_driver(driver=me, serial=order.serial, report=pickup())
    before = written(order)
    upload = SimpleUploadedFile("x.png", png()[:40], content_type="image/png")

    with pytest.raises(DomainError, match="cannot be read"):
        report_from_driver(
            driver=me,
            serial=order.serial,
            report=Report(kind="delivered", key="key-deliver-broken", receiver="马先生", photo=upload),
        )
    assert written(order) == before and not any(media.rglob("*.*"))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"%PDF-1.4 not a photo", "not a photo"),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * (10 * 1024 * 1024), "larger than 10 MB"),
    ],
)
def test_a_photo_over_10_mb_or_not_an_image_is_refused(order, me, media, content, message):
    report_from_driver(driver=me, serial=order.serial, report=pickup())
    before = written(order)
    upload = SimpleUploadedFile("x.png", content, content_type="image/png")

    with pytest.raises(DomainError) as refused:
        report_from_driver(
            driver=me,
            serial=order.serial,
            report=Report(kind="delivered", key="key-deliver-3", receiver="马先生", photo=upload),
        )

    assert message in refused.value.message and refused.value.field == "photo"
    assert written(order) == before
    assert not any(media.rglob("*.*"))


def test_an_exception_needs_a_reason_from_the_list(order, me):
    with pytest.raises(DomainError):
        report_from_driver(driver=me, serial=order.serial, report=Report(kind="exception", key="key-exc-1"))

    row, _ = report_from_driver(
        driver=me,
        serial=order.serial,
        report=Report(kind="exception", key="key-exc-2", reason="goods_not_ready", note="明早再来"),
    )

    assert row.event.type == "exception" and "明早再来" in row.event.note


def test_arriving_is_on_the_timeline_and_leaves_the_status(order, me):
    report_from_driver(driver=me, serial=order.serial, report=Report(kind="arrived", key="key-arr-1", place="汽配城"))

    assert Order.objects.get(pk=order.pk).status == "dispatched"
    assert OrderEvent.objects.filter(order=order, kind="arrived").exists()
