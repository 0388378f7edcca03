"""The scripts of outbound calls (外呼话术, SPEC §11; 002 主动回访): standard phrases per list kind, kept with the
other phrases in ``knowledge`` (category ``call_<kind>``) so the admin edits them in one place and the phrase
search finds them. The data migration and the test fixtures both call ``seed_outbound_phrases``."""

from freightdesk.knowledge.search import PHRASE, grams

# list kind, call stage, situation, text
SCRIPTS = [
    (
        "new",
        "greeting",
        "新客户回访",
        "您好，我是XX物流客服XX号，感谢您最近选择我们发货，想占用您一分钟做个回访，方便吗？",
    ),
    ("new", "query", "首次使用体验", "您第一次发货，提货和送达还顺利吗？有什么需要我们改进的地方吗？"),
    ("new", "closing", "结束", "以后发货直接拨打我们的电话或在网上下单就可以，XX号谢谢您，再见！"),
    ("high_value", "greeting", "高价值客户", "您好，我是XX物流客服XX号，感谢您一直以来对我们的支持！"),
    ("high_value", "query", "了解需求", "最近发货量比较大，线路和时效上有没有需要我们专门安排的？"),
    ("high_value", "closing", "结束", "有任何需要随时找我，XX号谢谢您，再见！"),
    (
        "revisit",
        "greeting",
        "问题解决后回访",
        "您好，我是XX物流客服XX号，关于您之前反映的问题，想跟您回访一下处理结果。",
    ),
    ("revisit", "query", "满意度", "请问您对这次的处理结果满意吗？从1到5分，您给几分？"),
    ("revisit", "complaint", "不满意", "非常抱歉没能让您满意，我马上重新为您处理，并尽快给您回复。"),
    ("revisit", "closing", "结束", "还有其他可以帮到您的吗？XX号谢谢您，再见！"),
    ("dormant", "greeting", "沉睡客户", "您好，我是XX物流客服XX号，好久没为您服务了，想了解一下您最近的发货需要。"),
    ("dormant", "query", "了解原因", "是我们哪里做得不够好吗？您的意见对我们很重要。"),
    ("dormant", "closing", "结束", "有发货需要随时打电话给我们，XX号谢谢您，再见！"),
    ("upload", "greeting", "营销外呼", "您好，我是XX物流客服XX号，打扰您一分钟，给您介绍一下我们的同城货运服务。"),
    ("upload", "quote", "报价", "同城配送当天送达，价格按重量或体积计算，现在下单我可以马上为您报价。"),
    ("upload", "closing", "结束", "如果您有需要，随时拨打我们的电话，XX号谢谢您，再见！"),
]


def category_of(kind: str) -> str:
    return f"call_{kind}"[:12]


def seed_outbound_phrases(apps) -> None:
    Phrase = apps.get_model("knowledge", "Phrase")
    SearchGram = apps.get_model("knowledge", "SearchGram")
    for position, (kind, stage, situation, text) in enumerate(SCRIPTS, start=100):
        phrase = Phrase.objects.create(
            stage=stage, category=category_of(kind), situation=situation, text=text, position=position
        )
        SearchGram.objects.bulk_create(
            [SearchGram(kind=PHRASE, object_id=phrase.pk, gram=g) for g in grams(situation + " " + text)]
        )


def unseed_outbound_phrases(apps) -> None:
    Phrase = apps.get_model("knowledge", "Phrase")
    SearchGram = apps.get_model("knowledge", "SearchGram")
    ids = list(Phrase.objects.filter(category__startswith="call_").values_list("pk", flat=True))
    SearchGram.objects.filter(kind=PHRASE, object_id__in=ids).delete()
    Phrase.objects.filter(pk__in=ids).delete()
