"""The catalogue against the source itself: every goods name written in 《禁止寄递物品指导目录》 (2016) is refused,
100 ordinary goods names pass, and restricted goods (限寄物品) are neither refused nor passed silently."""

import pytest
from django.apps import apps

from freightdesk.network.models import ProhibitedGoods, RestrictedGoods
from freightdesk.network.seeds import (
    seed_directory_names,
    seed_prohibited_exceptions,
    seed_prohibited_goods,
    seed_restricted_goods,
)
from freightdesk.network.selectors import match_prohibited, match_restricted

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def catalogue():
    """The seeded rows; a transactional test elsewhere in this process may have flushed them."""
    if not ProhibitedGoods.objects.filter(name="管制刀具").exists() or not RestrictedGoods.objects.exists():
        for seed in (seed_prohibited_goods, seed_prohibited_exceptions, seed_directory_names, seed_restricted_goods):
            seed(apps)


# Every goods name the directory writes, heading by heading, in its own words ("如……等").
DIRECTORY = {
    "一、枪支（含仿制品、主要零部件）弹药": [
        "枪支",
        "手枪",
        "步枪",
        "冲锋枪",
        "防暴枪",
        "气枪",
        "猎枪",
        "运动枪",
        "麻醉注射枪",
        "钢珠枪",
        "催泪枪",
        "弹药",
        "子弹",
        "炸弹",
        "手榴弹",
        "火箭弹",
        "照明弹",
        "燃烧弹",
        "烟幕弹",
        "烟雾弹",
        "信号弹",
        "催泪弹",
        "毒气弹",
        "地雷",
        "手雷",
        "炮弹",
        "火药",
    ],
    "二、管制器具": [
        "管制刀具",
        "匕首",
        "三棱刮刀",
        "带自锁装置的弹簧刀",
        "弹簧刀",
        "跳刀",
        "双刃刀",
        "三棱尖刀",
        "弩",
        "催泪器",
        "电击器",
    ],
    "三、爆炸物品": [
        "爆破器材",
        "炸药",
        "雷管",
        "导火索",
        "导爆索",
        "爆破剂",
        "烟花爆竹",
        "烟花",
        "鞭炮",
        "摔炮",
        "拉炮",
        "砸炮",
        "彩药弹",
        "黑火药",
        "烟火药",
        "发令纸",
        "引火线",
        "推进剂",
        "发射药",
        "硝化棉",
        "电点火头",
    ],
    "四、压缩和液化气体及其容器": [
        "易燃气体",
        "氢气",
        "甲烷",
        "乙烷",
        "丁烷",
        "天然气",
        "液化石油气",
        "乙烯",
        "丙烯",
        "乙炔",
        "打火机",
        "有毒气体",
        "一氧化碳",
        "一氧化氮",
        "氯气",
        "助燃气体",
        "压缩氧气",
        "氮气",
        "氦气",
        "氖气",
        "气雾剂",
    ],
    "五、易燃液体": [
        "易燃液体",
        "汽油",
        "柴油",
        "煤油",
        "桐油",
        "丙酮",
        "乙醚",
        "油漆",
        "生漆",
        "苯",
        "酒精",
        "松香油",
    ],
    "六、易燃固体、自燃物质、遇水易燃物质": [
        "易燃固体",
        "红磷",
        "硫磺",
        "铝粉",
        "闪光粉",
        "固体酒精",
        "火柴",
        "活性炭",
        "自燃物质",
        "黄磷",
        "白磷",
        "硝化纤维",
        "硝化纤维胶片",
        "钛粉",
        "遇水易燃物质",
        "金属钠",
        "钾",
        "锂",
        "锌粉",
        "镁粉",
        "碳化钙",
        "电石",
        "氰化钠",
        "氰化钾",
    ],
    "七、氧化剂和过氧化物": [
        "氧化剂",
        "过氧化物",
        "高锰酸盐",
        "高氯酸盐",
        "过氧化钠",
        "过氧化钾",
        "过氧化铅",
        "氯酸盐",
        "溴酸盐",
        "硝酸盐",
        "双氧水",
    ],
    "八、毒性物质": ["毒性物质", "砷", "砒霜", "汞化物", "铊化物", "氰化物", "硒粉", "苯酚", "汞", "剧毒农药"],
    "九、生化制品、传染性、感染性物质": [
        "病菌",
        "炭疽",
        "寄生虫",
        "排泄物",
        "医疗废弃物",
        "尸骨",
        "动物器官",
        "肢体",
        "未经硝制的兽皮",
        "未经药制的兽骨",
    ],
    "十、放射性物质": ["放射性物质", "铀", "钴", "镭", "钚"],
    "十一、腐蚀性物质": ["腐蚀性物质", "硫酸", "硝酸", "盐酸", "蓄电池", "氢氧化钠", "氢氧化钾"],
    "十二、毒品及吸毒工具、非正当用途麻醉药品和精神药品、非正当用途的易制毒化学品": [
        "毒品",
        "鸦片",
        "罂粟壳",
        "吗啡",
        "海洛因",
        "可卡因",
        "大麻",
        "甲基苯丙胺",
        "冰毒",
        "氯胺酮",
        "甲卡西酮",
        "苯丙胺",
        "安钠咖",
        "易制毒化学品",
        "胡椒醛",
        "黄樟素",
        "黄樟油",
        "麻黄素",
        "伪麻黄素",
        "羟亚胺",
        "邻酮",
        "苯乙酸",
        "溴代苯丙酮",
        "醋酸酐",
        "甲苯",
        "冰壶",
    ],
    "十三、非法出版物、印刷品、音像制品等宣传品": ["反动宣传品", "邪教宣传品", "淫秽音像制品", "非法出版物"],
    "十四、间谍专用器材": [
        "间谍专用器材",
        "窃听器材",
        "窃照器材",
        "突发式收发报机",
        "一次性密码本",
        "密写工具",
        "电子监听截收器材",
    ],
    "十五、非法伪造物品": ["伪造货币", "伪造证件", "伪造公章"],
    "十六、侵犯知识产权和假冒伪劣物品": ["盗版光盘", "假冒伪劣产品", "假药"],
    "十七、濒危野生动物及其制品": ["象牙", "虎骨", "犀牛角", "濒危野生动物制品"],
    "十八、禁止进出境物品": ["疫区物品", "涉密载体"],
    "十九、其他物品": ["危险化学品", "民用爆炸物品", "易制爆危险化学品", "病原微生物", "人体器官"],
}
FULL_LIST = [(heading, name) for heading, names in DIRECTORY.items() for name in names]

# What freight and parcel customers ship every day: 100 names, none of them may be refused.
ORDINARY_100 = [
    "配件",
    "汽车配件",
    "摩托车配件",
    "五金工具",
    "手枪钻",
    "吹气枪",
    "螺丝",
    "扳手",
    "轴承",
    "齿轮",
    "电机",
    "水泵",
    "发电机",
    "压缩机",
    "模具",
    "机械零件",
    "钢材",
    "铝型材",
    "水泥",
    "瓷砖",
    "地板",
    "门窗",
    "玻璃",
    "灯具",
    "电线",
    "电缆",
    "开关插座",
    "水管",
    "阀门",
    "轮胎",
    "服装",
    "鞋子",
    "箱包",
    "床单",
    "被子",
    "窗帘",
    "地毯",
    "毛巾",
    "布料",
    "纺织品",
    "书籍",
    "文具",
    "办公用品",
    "打印纸",
    "文件",
    "合同",
    "样品",
    "包装材料",
    "纸箱",
    "塑料袋",
    "家具",
    "沙发",
    "床垫",
    "办公桌",
    "椅子",
    "衣柜",
    "电脑",
    "笔记本电脑",
    "手机",
    "显示器",
    "打印机",
    "路由器",
    "服务器",
    "电路板",
    "空调",
    "冰箱",
    "洗衣机",
    "电视机",
    "微波炉",
    "电饭煲",
    "锅具",
    "餐具",
    "菜刀",
    "水果刀",
    "刀具",
    "陶瓷",
    "花瓶",
    "工艺品",
    "相框",
    "字画",
    "大米",
    "面粉",
    "食用油",
    "茶叶",
    "水果",
    "蔬菜",
    "饮料",
    "矿泉水",
    "牛奶",
    "零食",
    "玩具",
    "自行车",
    "乐器",
    "运动器材",
    "象牙白瓷砖",
    "抗氧化剂",
    "油漆刷",
    "苯板",
    "聚乙烯薄膜",
    "冰壶运动器材",
]

RESTRICTED = ["锂电池", "充电宝", "移动电源", "电瓶", "汽车电瓶", "电池", "纽扣电池", "香水", "白酒", "农药"]


def test_the_lists_are_what_they_say():
    assert len(ORDINARY_100) == len(set(ORDINARY_100)) == 100
    assert len(DIRECTORY) == 19 and len(FULL_LIST) > 200


@pytest.mark.parametrize(("heading", "goods"), FULL_LIST)
def test_every_name_the_directory_writes_is_refused(heading, goods):
    hit = match_prohibited(goods)
    assert hit is not None, f"{goods} ({heading}) passed"
    assert "《禁止寄递物品指导目录》" in hit.goods.reason


def test_the_directorys_own_heading_is_matched_with_its_members():
    for goods in ("管制刀具", "匕首", "弹簧刀", "三棱刮刀"):
        assert match_prohibited(goods).goods.category == "管制器具", goods


@pytest.mark.parametrize("goods", ORDINARY_100)
def test_ordinary_goods_pass(goods):
    hit = match_prohibited(goods)
    assert hit is None, f"{goods} matched {hit.goods.name} via {hit.term!r} ({hit.how})"


@pytest.mark.parametrize("goods", RESTRICTED)
def test_restricted_goods_are_not_refused_but_must_be_confirmed(goods):
    assert match_prohibited(goods) is None
    hit = match_restricted(goods)
    assert hit is not None and hit.goods.confirm


@pytest.mark.parametrize("goods", ["铅酸蓄电池", "蓄电池", "剧毒农药", "酒精"])
def test_prohibited_look_alikes_of_restricted_goods_stay_prohibited(goods):
    assert match_prohibited(goods) is not None


@pytest.mark.parametrize("goods", ["配件", "服装", "苯板"])
def test_ordinary_goods_are_not_restricted(goods):
    assert match_restricted(goods) is None
