import pytest
from django.core.exceptions import ValidationError

from freightdesk.messaging.models import MessageTemplate
from freightdesk.messaging.templating import FREE, parse_aliyun, parse_free, parse_tencent

pytestmark = pytest.mark.django_db


def test_the_seeded_templates_are_valid_in_all_three_syntaxes():
    templates = list(MessageTemplate.objects.all())
    assert {t.code for t in templates} >= {"dispatch", "urge", "escalation"}
    for template in templates:
        template.full_clean()


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("body", "{serial}客{shipper", "Unbalanced braces"),
        ("body", "{serial}{colour}", "Unknown variable colour"),
        ("body", "{serial!r}", "may not carry a format"),
        ("body", "{}", "empty {}"),
        ("aliyun_body", "${serial}客${shipper", "unclosed ${"),
        ("aliyun_body", "${1abc}", "not a valid variable name"),
        ("tencent_body", "{1}{2}", "adjacent"),
        ("tencent_body", "{1}客{3}", "without gaps"),
    ],
)
def test_a_template_syntax_error_is_refused_on_save_with_the_reason(field, value, reason):
    template = MessageTemplate.objects.get(code="dispatch")
    setattr(template, field, value)
    if field == "tencent_body":
        template.tencent_params = "serial,shipper"
    with pytest.raises(ValidationError) as caught:
        template.full_clean()
    assert reason in " ".join(caught.value.message_dict[field])


def test_the_admin_refuses_a_broken_template_and_keeps_the_old_one(admin_client):
    template = MessageTemplate.objects.get(code="urge")
    response = admin_client.post(
        f"/admin/messaging/messagetemplate/{template.pk}/change/",
        {"code": "urge", "name": "x", "body": "{serial}{nonsense}", "tencent_param_max": 0},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200 and "Unknown variable nonsense" in response.content.decode()
    template.refresh_from_db()
    assert "{nonsense}" not in template.body


def test_the_three_syntaxes_render_the_same_message():
    values = {"serial": "261123001", "agent_id": "8011"}
    assert parse_free("{serial}客。{agent_id}").render(values) == "261123001客。8011"
    assert parse_aliyun("${serial}客。${agent_id}").render(values) == "261123001客。8011"
    assert parse_tencent("{1}客。{2}", ["serial", "agent_id"]).render(values) == "261123001客。8011"


@pytest.mark.parametrize(
    ("field", "value", "params", "reason"),
    [
        ("aliyun_body", "${serial}提货送达请点 ${link}", "", "A link may not sit in a variable"),
        ("tencent_body", "{1}提货送达请点 {2}", "serial,link", "A link may not sit in a variable"),
        ("aliyun_body", "${serial}提货送达请点 ${token}", "", "The token must follow the address"),
        (
            "tencent_body",
            "{1}提货送达请点 https://fd.example.cn/d/{2}/",
            "serial,token",
            "The token must follow the address",
        ),
        ("body", "{serial}请点 fd.example.cn/tracking/d/{token}/", "", "The token must follow the address"),
    ],
)
def test_the_driver_link_template_keeps_the_address_in_the_approved_text_and_only_the_token_in_a_variable(
    field, value, params, reason
):
    template = MessageTemplate.objects.get(code="driver_link")
    setattr(template, field, value)
    template.tencent_params = params or template.tencent_params
    with pytest.raises(ValidationError) as caught:
        template.full_clean()
    assert reason in " ".join(caught.value.message_dict[field])


def test_the_seeded_driver_link_template_holds_the_public_address_and_the_token_variable(settings):
    template = MessageTemplate.objects.get(code="driver_link")
    base = settings.FREIGHTDESK["PUBLIC_BASE_URL"].rstrip("/")
    assert template.aliyun_body.endswith(f" {base}/tracking/d/${{token}}/")
    assert template.tencent_body.endswith(f" {base}/tracking/d/{{2}}/") and template.tencent_params == "serial,token"
    assert "{link}" in template.body  # free text: the whole address in one variable
    template.full_clean()


def test_a_template_is_parsed_once_per_text_and_an_edit_is_read_at_once():
    template = MessageTemplate.objects.get(code="dispatch")

    assert template.parsed(FREE) is MessageTemplate.objects.get(code="dispatch").parsed(FREE)
    template.body = "新单{serial}"
    template.save()

    edited = MessageTemplate.objects.get(code="dispatch").parsed(FREE)
    assert edited.render({"serial": "261207001"}) == "新单261207001"
    assert edited is template.parsed(FREE)
