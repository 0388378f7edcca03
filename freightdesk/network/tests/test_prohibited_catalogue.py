"""The seeded prohibited-goods catalogue (SPEC §3 违禁品) and how intake matches goods names against it."""

import pytest
from django.apps import apps

from freightdesk.network.models import ProhibitedGoods
from freightdesk.network.seeds import seed_prohibited_goods
from freightdesk.network.selectors import match_prohibited

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def catalogue():
    """The seeded rows; a transactional test elsewhere in this process may have flushed them."""
    if not ProhibitedGoods.objects.exists():
        seed_prohibited_goods(apps)


EXPLOSIVES = "爆炸物品"
FLAMMABLE_LIQUIDS = "易燃液体"
CORROSIVES = "腐蚀性物质"
NARCOTICS = "毒品及吸毒工具、非正当用途麻醉药品和精神药品、非正当用途的易制毒化学品"

CATALOGUE_CATEGORIES = {
    "枪支（含仿制品、主要零部件）弹药",
    "管制器具",
    EXPLOSIVES,
    "压缩和液化气体及其容器",
    FLAMMABLE_LIQUIDS,
    "易燃固体、自燃物质、遇水易燃物质",
    "氧化剂和过氧化物",
    "毒性物质",
    "生化制品、传染性、感染性物质",
    "放射性物质",
    CORROSIVES,
    NARCOTICS,
    "非法出版物、印刷品、音像制品等宣传品",
    "间谍专用器材",
    "非法伪造物品",
    "侵犯知识产权和假冒伪劣物品",
    "濒危野生动物及其制品",
    "禁止进出境物品",
    "其他物品",
}

# What freight customers ship every day: none of it may be refused as prohibited.
ORDINARY_GOODS = [
    "配件",
    "汽配",
    "汽车配件",
    "零部件",
    "家具",
    "服装",
    "衣服",
    "纺织品",
    "布料",
    "五金",
    "建材",
    "电器",
    "家用电器",
    "电子产品",
    "日用品",
    "百货",
    "纸箱",
    "食品",
    "书",
    "图书",
    "文件",
    "资料",
    "机器",
    "机械设备",
    "设备",
    "灯具",
    "陶瓷",
    "瓷砖",
    "玻璃",
    "钢材",
    "金属制品",
    "塑料制品",
    "聚乙烯薄膜",
    "轮胎",
    "鞋子",
    "箱包",
    "茶叶",
    "水果",
    "咖啡",
    "办公用品",
    "电线电缆",
    "床垫",
    "门窗",
    "卫浴洁具",
    "弹簧",
    "刀具",
    "摄像头",
    "植物",
    "化妆品",
    "药品",
    "儿童用品",
    "玩具",
    "商品",
    "样品",
]


def test_catalogue_is_seeded_with_every_category_of_the_2016_directory():
    entries = ProhibitedGoods.objects.all()
    assert entries.count() >= 80
    assert set(entries.values_list("category", flat=True)) == CATALOGUE_CATEGORIES


def test_every_seeded_entry_cites_the_catalogue_in_its_reason():
    for entry in ProhibitedGoods.objects.all():
        assert "《禁止寄递物品指导目录》" in entry.reason, entry.name
        assert entry.category in entry.reason, entry.name


def test_no_seeded_term_appears_twice():
    terms = [term for entry in ProhibitedGoods.objects.all() for term in entry.terms()]
    duplicates = {term for term in terms if terms.count(term) > 1}
    assert not duplicates


@pytest.mark.parametrize("goods", ORDINARY_GOODS)
def test_ordinary_freight_goods_match_nothing(goods):
    hit = match_prohibited(goods)
    assert hit is None, f"{goods} matched {hit.goods.name} via {hit.term!r} ({hit.how})"


@pytest.mark.parametrize(
    ("goods", "entry", "category", "how"),
    [
        ("汽油", "汽油", FLAMMABLE_LIQUIDS, "exact"),
        ("92号汽油", "汽油", FLAMMABLE_LIQUIDS, "synonym"),
        ("雷管配件", "雷管", EXPLOSIVES, "substring"),
        ("黑火药", "黑火药", EXPLOSIVES, "exact"),
        ("火药", "黑火药", EXPLOSIVES, "synonym"),
        ("硫酸", "硫酸", CORROSIVES, "exact"),
        ("海洛因", "海洛因", NARCOTICS, "exact"),
        ("冰毒", "甲基苯丙胺", NARCOTICS, "synonym"),
        ("海洛", "海洛因", NARCOTICS, "substring"),
        ("一箱雷管", "雷管", EXPLOSIVES, "substring"),
        (" 92号 汽油 ", "汽油", FLAMMABLE_LIQUIDS, "synonym"),
        ("Gasoline", "汽油", FLAMMABLE_LIQUIDS, "synonym"),
    ],
)
def test_prohibited_goods_match_with_their_category_and_kind(goods, entry, category, how):
    hit = match_prohibited(goods)
    assert hit is not None
    assert (hit.goods.name, hit.goods.category, hit.how) == (entry, category, how)
    assert hit.goods.reason


def test_a_deactivated_entry_no_longer_blocks():
    entry = ProhibitedGoods.objects.get(name="硫酸")
    entry.active = False
    entry.save()
    hit = match_prohibited("硫酸")
    assert hit is None or hit.goods.name != "硫酸"


def test_an_entry_added_in_admin_matches_by_its_synonym():
    ProhibitedGoods.objects.create(name="测试违禁品", category="其他物品", synonyms="测试甲，测试乙", reason="测试")
    hit = match_prohibited("测试乙")
    assert (hit.goods.name, hit.how) == ("测试违禁品", "synonym")
