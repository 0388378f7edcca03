"""Uploaded call lists (SPEC §2 外呼 营销名单): XLSX or CSV, at most 10,000 rows; every bad or repeated number reported
by its line, the rest imported; one transaction per file, so a crash leaves nothing half-imported."""

import io

import openpyxl
import pytest
from django.utils import translation

from freightdesk.core.errors import BadInput
from freightdesk.followups.models import FollowUp
from freightdesk.outbound import services
from freightdesk.outbound.models import CallItem, CallList, DoNotCall, ItemState

pytestmark = pytest.mark.django_db

CSV = "姓名,电话\n张三,13800138001\n李四,abc\n王五,138 0013 8001\n赵六,021-6666 7777\n,\n钱七,13800138009\n"


def upload(text: str, name="list.csv", encoding="utf-8"):
    return services.import_list(upload=io.BytesIO(text.encode(encoding)), filename=name, by=None, name="十二月营销")


def test_bad_and_repeated_numbers_are_reported_by_line_and_the_rest_imported(now, demo):
    DoNotCall.objects.create(number="+8613800138009")
    with translation.override("en"):
        built = upload(CSV)
    lines = [line for line, _why in built.problems]
    assert lines == [3, 4, 7]
    assert dict(built.problems)[4] == "138 0013 8001 is already on line 2."
    items = {i.phone: (i.line, i.name, i.state) for i in CallItem.objects.all()}
    assert items == {
        "+8613800138001": (2, "张三", ItemState.OPEN),
        "+862166667777": (5, "赵六", ItemState.OPEN),
        "+8613800138009": (7, "钱七", ItemState.SKIPPED),
    }
    assert FollowUp.objects.count() == 2
    assert CallList.objects.get().name == "十二月营销"


def test_a_gb18030_csv_without_header_reads_number_then_name(now, demo):
    built = upload("13800138001,张三\n13800138002,李四\n", encoding="gb18030")
    assert built.problems == []
    assert dict(CallItem.objects.values_list("phone", "name")) == {"+8613800138001": "张三", "+8613800138002": "李四"}


def test_an_excel_workbook_is_imported(now, demo):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["客户名称", "手机"])
    sheet.append(["张三", 13800138001])  # typed as a number
    sheet.append(["李四", "1380013800"])  # a digit short
    data = io.BytesIO()
    workbook.save(data)
    data.seek(0)
    built = services.import_list(upload=data, filename="名单.xlsx", by=None)
    assert [line for line, _why in built.problems] == [3]
    assert list(CallItem.objects.values_list("phone", "name")) == [("+8613800138001", "张三")]


@pytest.mark.parametrize(
    "text,name",
    [
        ("电话\n" + "13800138001\n" * 10_001, "big.csv"),
        ("13800138001\n", "list.txt"),
        ("not a zip", "list.xlsx"),
        ("电话\nabc\n", "list.csv"),
    ],
)
def test_a_file_refused_whole_writes_nothing(now, demo, text, name):
    with pytest.raises(BadInput) as refused:
        upload(text, name=name)
    assert refused.value.field == "file" and refused.value.message
    assert not CallList.objects.exists() and not CallItem.objects.exists() and not FollowUp.objects.exists()


def test_ten_thousand_rows_are_taken(now, demo):
    rows = "".join(f"1380{n:07d}\n" for n in range(10_000))
    built = upload("电话\n" + rows)
    assert built.created == 10_000 and built.problems == []


def test_a_crash_while_importing_leaves_nothing_half_imported(now, demo, monkeypatch):
    def crash(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services.followups, "raise_many", crash)
    with pytest.raises(RuntimeError):
        upload(CSV)
    assert not CallList.objects.exists() and not CallItem.objects.exists()
