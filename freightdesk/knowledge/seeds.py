"""The standard phrases (SPEC §11; 000 §四; 004) and a few knowledge-base articles every installation starts
with, indexed for search.

The data migrations and the test fixtures both call these functions with a model registry (the migration's
historical apps, or ``django.apps.apps``)."""

from .search import ARTICLE, PHRASE, grams

# stage, ticket category ("" = any), situation, text
PHRASES = [
    ("greeting", "", "接听", "您好，很高兴为您服务，请问有什么可以帮到您？"),
    ("greeting", "", "接听（报工号）", "您好，XX号为您服务，请问有什么可以帮到您？"),
    ("hold", "", "查询时", "请您稍等，我马上为您查询。"),
    ("hold", "", "让客户等候后", "对不起，让您久等了。"),
    ("confirmation", "", "核对信息", "跟您确认一下：……，对吗？"),
    ("confirmation", "", "无提货联系人", "如果暂时没有提货联系人，司机到时会与您联系。"),
    ("quote", "", "报价", "*至*，*方(件)，价格是*，现金支付，可以吗？"),
    ("promise", "", "下单后", "司机稍后会与您联系，请保持电话畅通。"),
    ("promise", "", "需要核实", "我核实后2小时内给您回复，我是XX号。"),
    ("query", "inquiry", "货物状态", "您的货物目前……，您也可以在我们网站上自助实时查询。"),
    ("query", "inquiry", "运输时效", "这条线路的运输时效是……，具体以实际配送为准。"),
    ("query", "inquiry", "无法当场答复", "这个问题我帮您核实一下，XX点前给您回电，好吗？"),
    ("complaint", "complaint", "受理投诉", "非常抱歉给您带来不便，我马上为您核实处理。"),
    ("complaint", "complaint", "记录投诉", "您反映的情况我已经详细记录，会尽快给您答复。"),
    ("complaint", "complaint", "催提货", "已经催促司机尽快提货，稍后把处理结果告诉您。"),
    ("complaint", "complaint", "无效投诉", "非常感谢您的反馈，经核实……，还请您谅解。"),
    ("suggestion", "suggestion", "受理建议", "您的建议很重要，我们会及时转给相关部门"),
    ("suggestion", "suggestion", "致谢", "感谢您的宝贵建议！"),
    ("difficult", "", "客户情绪激动", "我非常理解您的心情，我们一起来想办法解决。"),
    ("difficult", "", "超出权限", "这个问题我马上请主管为您处理。"),
    ("difficult", "emergency", "紧急情况", "请您不要着急，我已立即通知主管处理。"),
    ("closing", "", "结束通话", "XX号谢谢您的来电，再见！"),
    ("closing", "", "结束前确认", "请问还有其他可以帮到您的吗？"),
]
ARTICLES = [
    (
        "运输时效查询",
        "同城配送当天送达；提货：工作时间内下单后30分钟内安排车辆。超时效请催司机并抄送车管。",
        "inquiry",
        "transit_time",
    ),
    (
        "投诉处理流程",
        "记录 → 判定是否有效 → 确定责任部门 → 查明原因与责任人 → 提出处理方案 → 主管批准 → 实施（通知客户、处罚责任人、收集反馈） → 总结评估。",
        "complaint",
        "",
    ),
    ("提货超时怎么办", "短信并电话催司机，抄送车管，记录到该单，并把处理结果告诉客户。", "complaint", "transit_time"),
]


def seed_phrases(apps) -> None:
    Phrase = apps.get_model("knowledge", "Phrase")
    Article = apps.get_model("knowledge", "Article")
    SearchGram = apps.get_model("knowledge", "SearchGram")
    for position, (stage, category, situation, text) in enumerate(PHRASES):
        phrase = Phrase.objects.create(
            stage=stage, category=category, situation=situation, text=text, position=position
        )
        SearchGram.objects.bulk_create(
            [SearchGram(kind=PHRASE, object_id=phrase.pk, gram=g) for g in grams(situation + " " + text)]
        )
    for title, body, category, sub in ARTICLES:
        article = Article.objects.create(title=title, body=body, category=category, subcategory=sub)
        SearchGram.objects.bulk_create(
            [SearchGram(kind=ARTICLE, object_id=article.pk, gram=g) for g in grams(title + " " + body)]
        )


def unseed_phrases(apps) -> None:
    apps.get_model("knowledge", "SearchGram").objects.all().delete()
    apps.get_model("knowledge", "Phrase").objects.all().delete()
    apps.get_model("knowledge", "Article").objects.all().delete()
