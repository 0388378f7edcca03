"""The 70-character composer (SPEC §6): the seed's message, the shortening rules, properties for all orders."""

import re
from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from freightdesk.dispatch.sms_composer import ELLIPSIS, RULES, Composer, OrderFacts
from freightdesk.messaging.sms import measure
from freightdesk.messaging.templating import parse_aliyun, parse_free, parse_tencent

DISPATCH = (
    "{serial}客{shipper}{shipper_phone}{goods}{quantity}件{weight}公斤{volume}方{pickup}往{destination}"
    " 收货{consignee}{consignee_phone}{payment}。{extras}{agent_id}"
)
SEED = OrderFacts(
    serial="110310221",
    shipper="王先生",
    shipper_phone="13800138000",
    goods="件",
    quantity=15,
    weight=Decimal("200.00"),
    volume=Decimal("2.20"),
    pickup="汽配城",
    destination="火车站",
    consignee="马先生",
    consignee_phone="13900139000",
    payment="shipper_pays",
    fees=(("loading", Decimal("100.00")),),
    note="15点前送达",
    agent_id="8011",
)
SEED_TEXT = "110310221客王先件15件200公斤2.2方汽配城往火车站 收货马先付。加装卸费100,15点前送达。8011"


def composer(body=DISPATCH, **kwargs):
    return Composer(parse_free(body), signature="【滴客】", **kwargs)


def test_the_seed_example_reads_as_the_seed_and_fits_70_with_the_signature():
    """The seed's own message has no phone numbers; with the seed's fields it comes out in the seed's words."""
    result = composer(SEED_LAYOUT).compose(SEED)
    assert (
        result.text
        == "110310221客王先生件15件200公斤2.2方汽配城往火车站 收货马先生发货人现付。加装卸费100,15点前送达。8011"
    )
    assert result.segments == 1 and result.length <= 70 and result.rules == ()
    assert len("【滴客】" + SEED_TEXT) <= 70


def test_the_seed_example_with_both_phone_numbers_keeps_every_field_and_is_flagged_multipart():
    result = composer().compose(SEED)
    assert (
        result.text
        == "110310221客王先13800138000件15件200公斤2.2方汽配城往火车站收货马先13900139000现付。装卸100,15点前送达。8011"
    )
    # 22 digits of phone numbers do not fit beside everything else: two parts, and the agent is warned
    assert result.length == 82 and result.segments == 2 and "multipart" in result.warnings
    assert result.rules == ("honorifics", "payment", "fees", "places", "spaces")


def test_the_rules_apply_in_their_fixed_order_and_stop_as_soon_as_it_fits():
    short = OrderFacts(**{**SEED.__dict__, "note": "", "fees": ()})
    result = composer().compose(short)
    assert result.rules == ("honorifics", "payment")  # no fees, no note: two rules are enough
    assert result.text == "110310221客王先13800138000件15件200公斤2.2方汽配城往火车站 收货马先13900139000现付。8011"
    assert result.length == 70 and result.segments == 1


def test_place_names_are_shortened_from_the_abbreviation_table():
    long_places = OrderFacts(
        **{**SEED.__dict__, "pickup": "国际汽车配件城", "destination": "火车站", "fees": (), "note": ""}
    )
    plain = composer().compose(long_places)
    abbreviated = composer(abbreviations=[("国际汽车配件城", "汽配城")]).compose(long_places)
    assert "国际汽车配件城" in plain.text
    assert "places" in abbreviated.rules and "汽配城往火车站" in abbreviated.text
    assert abbreviated.length < plain.length


def test_the_note_is_cut_last_with_an_ellipsis():
    facts = OrderFacts(
        **{
            **SEED.__dict__,
            "fees": (),
            "note": "请于明天下午三点之前送到火车站北门仓库",
            "consignee_phone": "",
            "shipper_phone": "13800138000",
        }
    )
    result = composer().compose(facts)
    assert result.rules[-1] == "note" and ELLIPSIS in result.text
    assert result.segments == 1 and result.length == 70
    assert result.text.endswith("。8011")


@pytest.mark.parametrize(
    ("syntax", "body", "params"),
    [
        ("aliyun", DISPATCH.replace("{", "${"), None),
        (
            "tencent",
            "{1}客{2}电{3}货{4}共{5}件{6}公斤{7}方{8}往{9} 收货{10}电{11},{12}。{13} {14}",
            "serial,shipper,shipper_phone,goods,quantity,weight,volume,pickup,destination,consignee,consignee_phone,"
            "payment,extras,agent_id",
        ),
    ],
)
def test_template_mode_fills_the_providers_variables_and_counts_signature_plus_rendered_template(syntax, body, params):
    template = parse_aliyun(body) if syntax == "aliyun" else parse_tencent(body, params.split(","))
    result = Composer(template, signature="【滴客】").compose(SEED)
    assert result.length == measure("【滴客】" + result.text).units
    values = result.params if syntax == "tencent" else list(result.params.values())
    for must in ("110310221", "13800138000", "13900139000", "15", "200", "2.2", "8011"):
        assert must in values
    if syntax == "aliyun":
        assert result.params["shipper_phone"] == "13800138000"


def test_template_mode_strips_links_from_variables_and_honours_the_per_variable_limit():
    template = parse_tencent("{1}备注{2}。{3}", ["serial", "note", "agent_id"])
    facts = OrderFacts(**{**SEED.__dict__, "note": "见 https://x.example/a 送货前电话联系收货人确认"})
    result = Composer(template, signature="【滴客】", param_max=8).compose(facts)
    assert "link_removed" in result.warnings and "http" not in result.text
    serial, note, agent_id = result.params
    assert len(note) <= 8 and note.endswith(ELLIPSIS)
    assert (serial, agent_id) == ("110310221", "8011")  # must-keep values are never cut, even past the limit


# --- properties --------------------------------------------------------------------------------------
names = st.text(alphabet="王李张刘陈杨赵黄周吴先生小姐女士", min_size=1, max_size=6)
places = st.text(alphabet="汽配城火车站国际物流园区北路南门仓库一二三号 ", min_size=1, max_size=30)
phones = st.from_regex(r"1[3-9]\d{9}", fullmatch=True)
decimals = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("50000"), places=2)
facts_strategy = st.builds(
    OrderFacts,
    serial=st.from_regex(r"2\d{5}\d{3}", fullmatch=True),
    shipper=names,
    shipper_phone=phones,
    goods=st.text(alphabet="配件服装电器家具食品纸箱 ", min_size=1, max_size=12),
    quantity=st.integers(min_value=1, max_value=100000),
    weight=decimals,
    volume=decimals,
    pickup=places,
    destination=places,
    consignee=names,
    consignee_phone=phones,
    payment=st.sampled_from(["shipper_pays", "consignee_pays", "monthly"]),
    fees=st.lists(st.tuples(st.sampled_from(["loading", "pickup", "delivery", "other"]), decimals), max_size=3).map(
        tuple
    ),
    note=st.text(alphabet="请明天下午点前送到北门仓库联系收货人轻放易碎 ,。😀", max_size=60),  # 😀 counts two
    agent_id=st.from_regex(r"\d{4}", fullmatch=True),
)
ABBREVIATIONS = [("火车站", "火站"), ("国际物流园区", "物流园")]


@settings(max_examples=300, deadline=None)
@given(facts_strategy)
def test_every_order_fits_one_sms_or_is_flagged_multipart_and_keeps_the_must_keep_fields(facts):
    result = composer(abbreviations=ABBREVIATIONS).compose(facts)
    counted = measure(result.signature + result.text)
    assert (result.length, result.segments) == (counted.units, counted.segments)
    assert result.segments == 1 or "multipart" in result.warnings
    if result.segments == 1:
        assert result.length <= 70
    text = result.text
    for must in (facts.serial, facts.shipper_phone, facts.consignee_phone, facts.agent_id):
        assert must in text
    number = r"\d+(?:\.\d+)?"
    assert re.search(rf"{facts.shipper_phone}.*?{facts.quantity}件{number}公斤{number}方", text)
    assert re.search(rf"件{re.escape(_num(facts.weight))}公斤{re.escape(_num(facts.volume))}方", text)
    assert text.endswith(facts.agent_id) and text.startswith(facts.serial)


@settings(max_examples=200, deadline=None)
@given(facts_strategy)
def test_the_rules_are_applied_in_order_and_the_note_only_last(facts):
    result = composer().compose(facts)
    assert list(result.rules) == [r for r in RULES if r in result.rules]
    assert result.rules == RULES[: len(result.rules)] or result.rules[-1] == "note"
    if "note" in result.rules:
        assert result.segments == 1 and ELLIPSIS in result.text


def _num(value):
    from freightdesk.dispatch.sms_composer import number

    return number(value)


@pytest.mark.django_db
def test_urge_and_escalation_messages_read_as_the_seeds_examples():
    from freightdesk.messaging.models import MessageTemplate

    urge = MessageTemplate.objects.get(code="urge_called")  # the customer called: SPEC §9's example
    escalation = MessageTemplate.objects.get(code="escalation")
    facts = OrderFacts(**{**SEED.__dict__, "serial": "110310284", "goods": "配件"})
    text = composer(urge.body).compose(facts).text
    assert text == "110310284王先生15件配件尚未提,客已来电催提货,请速处理。8011"  # SPEC §9
    result = composer(escalation.body).compose(facts, {"waybill": "7551234567", "lateness": "2小时"})
    assert result.text == "110310284单号7551234567,货物已超过配送时效2小时,请速处理。8011"  # SPEC §7
    assert result.segments == 1


SEED_LAYOUT = (
    "{serial}客{shipper}{goods}{quantity}件{weight}公斤{volume}方{pickup}往{destination} 收货{consignee}"
    "{payment}。{extras}{agent_id}"
)


long_notes = st.text(alphabet="请明天下午点前送到北门仓库联系收货人轻放易碎 ,。", min_size=10, max_size=60)


@settings(max_examples=400, deadline=None)
@given(
    st.one_of(facts_strategy, st.builds(replace, facts_strategy, note=long_notes)),
    st.sampled_from(["", "【滴客】"]),
    st.sampled_from([DISPATCH, SEED_LAYOUT, "{route}{note}{agent_id}"]),
)
def test_the_fast_arithmetic_path_gives_exactly_what_rendering_and_measuring_every_step_gives(facts, signature, body):
    """The fast path (lengths counted while the rules run, whole ladder first) against the reference
    path that renders and measures the text after every rule (the seed layout and a short template
    make the note cut and the fits-after-some-rules cases common)."""
    fast = Composer(parse_free(body), signature=signature, abbreviations=ABBREVIATIONS)
    reference = Composer(parse_free(body), signature=signature, abbreviations=ABBREVIATIONS)
    reference.ucs2 = False  # forces the exact path
    a, b = fast.compose(facts), reference.compose(facts)
    assert (a.text, a.length, a.segments, a.rules, a.warnings) == (b.text, b.length, b.segments, b.rules, b.warnings)


def test_the_driver_link_token_is_never_cut_by_a_tencent_per_variable_limit():
    template = parse_tencent("{1}提货送达请点 https://fd.example.cn/tracking/d/{2}/", ["serial", "token"])
    token = "AbCdEfGhIjKlMnOp"
    result = Composer(template, signature="【滴客】", param_max=8).compose(SEED, {"token": token})
    assert result.params == ["110310221", token]  # both must-keep, though longer than 8
    assert result.text == f"110310221提货送达请点 https://fd.example.cn/tracking/d/{token}/"
    assert result.length == len("【滴客】" + result.text) == 70 and result.segments == 1
