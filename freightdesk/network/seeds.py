"""The prohibited-goods catalogue every installation starts with: 《禁止寄递物品指导目录》 (2016) and the
ordinary goods whose names contain one of its terms.

The data migrations and the test fixtures both call these functions with a model registry (the migration's
historical apps, or ``django.apps.apps``)."""

CATALOGUE = "《禁止寄递物品指导目录》"

# (number, category, [(name, synonyms), ...]) in the catalogue's order.
SEED = [
    (
        1,
        "枪支（含仿制品、主要零部件）弹药",
        [
            ("手枪", "左轮手枪,pistol"),
            ("步枪", "半自动步枪,rifle"),
            ("冲锋枪", "微型冲锋枪"),
            ("防暴枪", ""),
            ("气枪", "汽枪,气步枪,气手枪"),
            ("猎枪", "双管猎枪,shotgun"),
            ("运动枪", "射击运动枪"),
            ("麻醉注射枪", "麻醉枪"),
            ("钢珠枪", "钢珠手枪"),
            ("催泪枪", ""),
            ("仿真枪", "仿制枪支,枪支仿制品,高仿真枪"),
            ("枪管", "枪机,击针,枪械零件"),
            ("子弹", "枪弹,弹壳,霰弹,ammunition"),
            ("炸弹", "定时炸弹"),
            ("手榴弹", "手雷,grenade"),
            ("火箭弹", ""),
            ("照明弹", ""),
            ("燃烧弹", ""),
            ("烟幕弹", "烟雾弹"),
            ("信号弹", ""),
            ("催泪弹", ""),
            ("毒气弹", ""),
            ("地雷", ""),
            ("炮弹", ""),
        ],
    ),
    (
        2,
        "管制器具",
        [
            ("匕首", "短剑"),
            ("三棱刮刀", "三棱尖刀,三棱刀"),
            ("跳刀", "自锁刀"),
            ("弩", "弓弩,十字弩,crossbow"),
            ("催泪器", "催泪喷雾,防狼喷雾"),
            ("电击器", "电击棒,电警棍,电棍"),
        ],
    ),
    (
        3,
        "爆炸物品",
        [
            ("炸药", "TNT,硝铵炸药,乳化炸药,黄色炸药,dynamite"),
            ("雷管", "电雷管,导爆管雷管,火雷管"),
            ("导火索", "导火线"),
            ("导爆索", ""),
            ("爆破剂", ""),
            ("烟花", "礼花,焰火,烟火,礼花弹,fireworks"),
            ("鞭炮", "爆竹,炮仗,摔炮,拉炮,砸炮"),
            ("彩药弹", ""),
            ("黑火药", "火药,烟火药,gunpowder"),
            ("发令纸", "火药纸"),
            ("引火线", ""),
            ("推进剂", ""),
            ("发射药", ""),
            ("硝化棉", "火棉,硝化纤维素"),
            ("电点火头", "点火头"),
        ],
    ),
    (
        4,
        "压缩和液化气体及其容器",
        [
            ("氢气", "液氢,氢气瓶"),
            ("甲烷", ""),
            ("乙烷", ""),
            ("丁烷", "丁烷气,卡式气,butane"),
            ("天然气", "压缩天然气,CNG,LNG"),
            ("液化石油气", "液化气,煤气罐,石油气,LPG"),
            ("乙烯气体", "液化乙烯"),
            ("丙烯气体", "液化丙烯"),
            ("乙炔", "电石气,乙炔瓶"),
            ("打火机", "充气打火机,防风打火机,打火机气"),
            ("一氧化碳", ""),
            ("一氧化氮", ""),
            ("氯气", "液氯"),
            ("压缩氧气", "氧气瓶,氧气罐,液氧"),
            ("氮气", "液氮,氮气瓶"),
            ("氦气", "氦气瓶,氦气罐"),
            ("氖气", ""),
            ("气雾剂", "喷雾罐,发胶,摩丝"),
        ],
    ),
    (
        5,
        "易燃液体",
        [
            ("汽油", "92号汽油,95号汽油,98号汽油,车用汽油,gasoline,petrol"),
            ("柴油", "0号柴油,-10号柴油,车用柴油,diesel"),
            ("煤油", "航空煤油,kerosene"),
            ("桐油", ""),
            ("丙酮", "acetone,洗甲水"),
            ("乙醚", ""),
            ("油漆", "调和漆,醇酸漆,硝基漆"),
            ("生漆", "大漆"),
            ("稀释剂", "稀料,天那水,香蕉水,信那水"),
            ("纯苯", "石油苯,benzene"),
            ("酒精", "乙醇,无水乙醇,医用酒精,ethanol"),
            ("松香油", "松节油"),
        ],
    ),
    (
        6,
        "易燃固体、自燃物质、遇水易燃物质",
        [
            ("红磷", "赤磷"),
            ("硫磺", "硫黄,硫磺粉"),
            ("铝粉", "铝银粉"),
            ("闪光粉", ""),
            ("固体酒精", ""),
            ("火柴", "安全火柴"),
            ("活性炭", ""),
            ("黄磷", "白磷"),
            ("硝化纤维胶片", "硝酸纤维素胶片"),
            ("钛粉", ""),
            ("金属钠", "钠块"),
            ("金属钾", "钾块"),
            ("金属锂", "锂块"),
            ("锌粉", ""),
            ("镁粉", ""),
            ("电石", "碳化钙"),
        ],
    ),
    (
        7,
        "氧化剂和过氧化物",
        [
            ("高锰酸钾", "高锰酸盐,灰锰氧"),
            ("高氯酸盐", "高氯酸钾,高氯酸铵"),
            ("过氧化氢", "双氧水"),
            ("过氧化钠", ""),
            ("过氧化钾", ""),
            ("过氧化铅", ""),
            ("氯酸盐", "氯酸钾,氯酸钠"),
            ("溴酸盐", "溴酸钾"),
            ("硝酸盐", "硝酸钾,硝酸铵,硝酸钠"),
        ],
    ),
    (
        8,
        "毒性物质",
        [
            ("砒霜", "三氧化二砷,白砒,信石"),
            ("砷化物", "砷粉,砷化氢,arsenic"),
            ("汞化物", "氯化汞,升汞"),
            ("水银", "汞,金属汞,mercury"),
            ("铊化物", "硫酸铊"),
            ("氰化物", "氰化钠,氰化钾,山奈钾,cyanide"),
            ("硒粉", ""),
            ("苯酚", "石炭酸"),
            ("剧毒农药", "百草枯,甲胺磷,毒鼠强,氟乙酰胺,对硫磷"),
        ],
    ),
    (
        9,
        "生化制品、传染性、感染性物质",
        [
            ("病菌", "病原菌,致病菌,病毒株"),
            ("炭疽", "炭疽杆菌"),
            ("寄生虫", ""),
            ("排泄物", "粪便"),
            ("医疗废弃物", "医疗废物,医疗垃圾"),
            ("尸骨", "遗骸,骸骨"),
            ("动物器官", ""),
            ("肢体", ""),
            ("未经硝制的兽皮", "未鞣制兽皮,鲜兽皮"),
            ("未经药制的兽骨", "生兽骨"),
        ],
    ),
    (
        10,
        "放射性物质",
        [
            ("铀矿", "天然铀,浓缩铀,贫铀,uranium"),
            ("钴60放射源", "钴-60,放射源"),
            ("镭源", "镭-226,radium"),
            ("金属钚", "钚-239,plutonium"),
        ],
    ),
    (
        11,
        "腐蚀性物质",
        [
            ("硫酸", "浓硫酸,稀硫酸,H2SO4"),
            ("硝酸", "浓硝酸,发烟硝酸,HNO3"),
            ("盐酸", "氢氯酸,浓盐酸"),
            ("蓄电池", "铅酸蓄电池,加酸蓄电池"),
            ("氢氧化钠", "烧碱,火碱,苛性钠,片碱,NaOH"),
            ("氢氧化钾", "苛性钾,KOH"),
        ],
    ),
    (
        12,
        "毒品及吸毒工具、非正当用途麻醉药品和精神药品、非正当用途的易制毒化学品",
        [
            ("鸦片", "阿片,大烟,罂粟壳,罂粟"),
            ("吗啡", "morphine"),
            ("海洛因", "海洛英,heroin"),
            ("可卡因", "古柯碱,cocaine"),
            ("大麻", "大麻叶,大麻烟,marijuana,cannabis"),
            ("甲基苯丙胺", "冰毒,麻古"),
            ("氯胺酮", "K粉,ketamine"),
            ("甲卡西酮", ""),
            ("苯丙胺", "安非他明,amphetamine"),
            ("安钠咖", "CNB"),
            ("摇头丸", "MDMA"),
            ("麻黄素", "麻黄碱"),
            ("伪麻黄素", "伪麻黄碱"),
            ("黄樟素", ""),
            ("黄樟油", ""),
            ("胡椒醛", "洋茉莉醛"),
            ("羟亚胺", ""),
            ("邻氯苯基环戊酮", "邻酮"),
            ("苯乙酸", ""),
            ("溴代苯丙酮", ""),
            ("醋酸酐", "乙酸酐"),
            ("甲苯", "toluene"),
            ("吸毒工具", "吸毒冰壶,溜冰壶"),
        ],
    ),
    (
        13,
        "非法出版物、印刷品、音像制品等宣传品",
        [
            ("非法出版物", ""),
            ("反动宣传品", "煽动性宣传品"),
            ("邪教宣传品", ""),
            ("淫秽出版物", "淫秽物品,黄色光碟"),
        ],
    ),
    (
        14,
        "间谍专用器材",
        [
            ("窃听器", "窃听器材,窃听装置"),
            ("窃照器材", "偷拍器材"),
            ("突发式收发报机", "突发收发报机"),
            ("一次性密码本", ""),
            ("密写工具", ""),
            ("电子监听截收器材", "监听器材,截收器材"),
        ],
    ),
    (
        15,
        "非法伪造物品",
        [
            ("伪造货币", "假币,假钞,伪钞,变造货币"),
            ("伪造证件", "假证件,假证,假身份证"),
            ("伪造公章", "假公章,私刻公章"),
        ],
    ),
    (
        16,
        "侵犯知识产权和假冒伪劣物品",
        [
            ("盗版光盘", "盗版碟片,盗版影碟"),
            ("假货", "冒牌货,山寨货,仿冒品"),
            ("假药", "劣药"),
        ],
    ),
    (
        17,
        "濒危野生动物及其制品",
        [
            ("象牙", "象牙雕刻"),
            ("虎骨", "虎骨酒"),
            ("犀牛角", "犀角"),
            ("穿山甲", "穿山甲鳞片,穿山甲片"),
            ("藏羚羊绒", "沙图什"),
        ],
    ),
    (
        18,
        "禁止进出境物品",
        [
            ("疫区物品", ""),
            ("涉密载体", "国家秘密载体,密件"),
            ("检疫性有害生物", "危险性病虫害"),
        ],
    ),
    (
        19,
        "其他物品",
        [
            ("人体器官", "人体组织,人体细胞"),
            ("危险化学品", "危化品"),
            ("易制爆化学品", "易制爆危险化学品"),
            ("民爆物品", "民用爆炸物品"),
        ],
    ),
]


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
