"""The prohibited-goods catalogue every installation starts with: 《禁止寄递物品指导目录》 (2016) and the
ordinary goods whose names contain one of its terms.

The data migrations and the test fixtures both call these functions with a model registry (the migration's
historical apps, or ``django.apps.apps``)."""

from .prohibited_directory import CATALOGUE, SEED


def reason_for(number: int, category: str) -> str:
    return f"{CATALOGUE}（2016）第{number}类“{category}”所列物品，禁止寄递。"


def seed_prohibited_goods(apps) -> None:
    ProhibitedGoods = apps.get_model("network", "ProhibitedGoods")
    for number, category, entries in SEED:
        for name, synonyms in entries:
            ProhibitedGoods.objects.get_or_create(
                name=name,
                defaults={"category": category, "synonyms": synonyms, "reason": reason_for(number, category)},
            )


def unseed_prohibited_goods(apps) -> None:
    ProhibitedGoods = apps.get_model("network", "ProhibitedGoods")
    for number, category, entries in SEED:
        for name, synonyms in entries:
            ProhibitedGoods.objects.filter(
                name=name, category=category, synonyms=synonyms, reason=reason_for(number, category)
            ).delete()


# Ordinary goods whose names contain a catalogue term (found by the catalogue tests).
EXCEPTIONS = {
    "手枪": "手枪钻",
    "气枪": "吹气枪,气枪钉,打气枪",
    "象牙": "象牙白,象牙色",
}


def seed_prohibited_exceptions(apps) -> None:
    ProhibitedGoods = apps.get_model("network", "ProhibitedGoods")
    for name, exceptions in EXCEPTIONS.items():
        ProhibitedGoods.objects.filter(name=name, exceptions="").update(exceptions=exceptions)


# The directory's own words that the first seed lacked: its headings (管制刀具 and the other sub-headings people
# say on the phone) and the members it names, as new entries in their categories…
DIRECTORY_ENTRIES = [
    (1, "枪支", "枪械"),
    (1, "弹药", "弹药仿制品"),
    (2, "管制刀具", "管制刀,弹簧刀,双刃刀,双刃尖刀,单刃尖刀"),
    (3, "爆破器材", ""),
    (3, "烟花爆竹", ""),
    (4, "易燃气体", ""),
    (4, "有毒气体", ""),
    (4, "助燃气体", "窒息性气体"),
    (5, "易燃液体", ""),
    (6, "易燃固体", ""),
    (6, "自燃物质", ""),
    (6, "遇水易燃物质", ""),
    (7, "氧化剂", ""),
    (7, "过氧化物", ""),
    (8, "毒性物质", "有毒物质"),
    (9, "传染性物质", "感染性物质"),
    (10, "放射性物质", "放射性物品"),
    (11, "腐蚀性物质", "腐蚀品"),
    (12, "毒品", ""),
    (12, "易制毒化学品", ""),
    (14, "间谍专用器材", "间谍器材"),
    (17, "濒危野生动物制品", "濒危野生动物,野生动物制品"),
]
# … and, on the entries that were there, the directory's other names for them (single characters match only
# as the whole goods name: 苯 is 纯苯, 苯板 is foam board).
DIRECTORY_SYNONYMS = {
    "弩": "弩箭,弩弓",
    "烟花": "烟花弹",
    "乙烯气体": "乙烯",
    "丙烯气体": "丙烯",
    "纯苯": "苯",
    "硝化纤维胶片": "硝化纤维",
    "金属钾": "钾",
    "金属锂": "锂",
    "砷化物": "砷",
    "铀矿": "铀",
    "钴60放射源": "钴",
    "镭源": "镭",
    "金属钚": "钚",
    "吸毒工具": "冰壶",
    "假货": "假冒伪劣,假冒伪劣产品",
    "病菌": "病原微生物",
    "淫秽出版物": "淫秽音像制品",
}
# Ordinary goods that hold a new term (the catalogue tests' list of ordinary goods found them).
DIRECTORY_EXCEPTIONS = {
    "管制刀具": "刀具,弹簧",
    "乙烯气体": "聚乙烯",
    "丙烯气体": "聚丙烯",
    "氧化剂": "抗氧化剂",
    "油漆": "油漆刷,油漆滚筒",
    "吸毒工具": "冰壶运动",
}
CATEGORIES = {number: category for number, category, _entries in SEED}


def seed_directory_names(apps) -> None:
    """Add the directory's own names (DIRECTORY_ENTRIES, DIRECTORY_SYNONYMS, DIRECTORY_EXCEPTIONS); a term an
    administrator already put elsewhere is not added twice."""
    ProhibitedGoods = apps.get_model("network", "ProhibitedGoods")
    for number, name, synonyms in DIRECTORY_ENTRIES:
        category = CATEGORIES[number]
        ProhibitedGoods.objects.get_or_create(
            name=name, defaults={"category": category, "synonyms": synonyms, "reason": reason_for(number, category)}
        )
    for name, extra in DIRECTORY_SYNONYMS.items():
        entry = ProhibitedGoods.objects.filter(name=name).first()
        if entry is not None:
            have = [t for t in entry.synonyms.split(",") if t]
            entry.synonyms = ",".join(have + [t for t in extra.split(",") if t not in have])
            entry.save(update_fields=["synonyms"])
    for name, extra in DIRECTORY_EXCEPTIONS.items():
        entry = ProhibitedGoods.objects.filter(name=name).first()
        if entry is not None:
            have = [t for t in entry.exceptions.split(",") if t]
            entry.exceptions = ",".join(have + [t for t in extra.split(",") if t not in have])
            entry.save(update_fields=["exceptions"])


# Restricted goods (限寄物品): shipped only when the agent checked packaging and quantity with the caller; what he
# confirmed is kept on the order. Battery words that are prohibited stay prohibited (蓄电池 with its acid).
RESTRICTED = [
    ("锂电池", "锂离子电池,聚合物电池,电芯,动力电池", "包装（电极绝缘、单独包装或装在设备内）、数量、容量（瓦时）"),
    ("充电宝", "移动电源", "包装（单独包装、无破损鼓包）、数量、容量（毫安时）"),
    ("电瓶", "电动车电瓶,汽车电瓶,干荷电瓶", "是否已加电解液（加液的属蓄电池，禁寄）、包装、数量"),
    ("电池", "干电池,纽扣电池,碱性电池,电池组", "电池种类（锂电池另按锂电池确认）、包装、数量"),
    ("香水", "花露水,古龙水", "包装（密封防漏）、数量、单瓶容量"),
    ("指甲油", "甲油胶", "包装（密封防漏）、数量"),
    ("白酒", "高度白酒,酒", "度数、包装（防碎）、数量"),
    ("农药", "杀虫剂,除草剂", "是否剧毒（剧毒农药禁寄）、包装（原厂密封）、数量"),
    ("磁铁", "强磁,磁钢", "包装（消磁屏蔽）、数量、重量"),
]


def seed_restricted_goods(apps) -> None:
    RestrictedGoods = apps.get_model("network", "RestrictedGoods")
    for name, synonyms, confirm in RESTRICTED:
        RestrictedGoods.objects.get_or_create(name=name, defaults={"synonyms": synonyms, "confirm": confirm})
