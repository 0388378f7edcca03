"""Phone numbers are validated and stored in one form, E.164 (SPEC §3: pickup phone validated and normalised)."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from freightdesk.core.phones import display_phone, last4, normalize_phone


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.mark.parametrize(
    "raw",
    [
        "13800138000",
        "+8613800138000",
        "+86 138 0013 8000",
        "8613800138000",
        "0086 13800138000",
        "138-0013-8000",
        " 138 0013 8000 ",
    ],
)
def test_a_mobile_in_any_written_form_is_one_number(raw):
    assert normalize_phone(raw) == "+8613800138000"


@pytest.mark.parametrize(
    ("raw", "e164"),
    [
        ("021-88887777", "+862188887777"),
        ("02188887777", "+862188887777"),
        ("(021) 8888 7777", "+862188887777"),
        ("010-62345678", "+861062345678"),
        ("+86 10 6234 5678", "+861062345678"),
        ("0755-88889999", "+8675588889999"),
    ],
)
def test_a_landline_with_its_area_code_is_accepted(raw, e164):
    assert normalize_phone(raw) == e164


@pytest.mark.parametrize("raw", ["400-820-8820", "4008208820", "400 820 8820"])
def test_a_400_service_number_is_accepted(raw):
    assert normalize_phone(raw) == "+864008208820"


@pytest.mark.parametrize("raw", ["123", "abc", "电话号码", "+", "1-2-3"])
def test_something_that_is_not_a_phone_is_refused_with_its_value_in_the_message(raw):
    with pytest.raises(ValidationError) as caught:
        normalize_phone(raw)
    assert caught.value.messages == [f"“{raw.strip()}” is not a phone number."]
    assert caught.value.code == "invalid"


@pytest.mark.parametrize("raw", ["1380013800", "138001380001", "88887777"])
def test_a_mobile_with_a_wrong_length_or_a_landline_without_area_code_is_refused(raw):
    with pytest.raises(ValidationError) as caught:
        normalize_phone(raw)
    message = caught.value.messages[0]
    assert message.startswith(f"“{raw}” is not a valid phone number")
    assert "a mobile has 11 digits, a landline needs its area code" in message


@pytest.mark.parametrize("raw", ["", "   ", None])
def test_an_empty_phone_is_required(raw):
    with pytest.raises(ValidationError) as caught:
        normalize_phone(raw)
    assert caught.value.code == "required"
    assert caught.value.messages == ["Enter a phone number."]


def test_the_message_is_chinese_when_the_desk_works_in_chinese():
    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        normalize_phone("123")
    assert "123" in caught.value.messages[0]


def test_a_stored_number_is_shown_as_an_agent_dials_it():
    assert display_phone("+8613800138000") == "13800138000"
    # The docstring promises "021-88887777"; the dash is presentation, the digits are the rule.
    assert display_phone("+862188887777").replace("-", "") == "02188887777"
    assert last4("+8613800138000") == "8000"


SEPARATORS = st.sampled_from(["", " ", "-"])


@given(
    prefix=st.sampled_from(["138", "139", "150", "186", "177", "199"]),
    rest=st.text(alphabet="0123456789", min_size=8, max_size=8),
    country=st.sampled_from(["", "+86", "+86 ", "86", "0086"]),
    sep=SEPARATORS,
)
def test_every_written_form_of_a_mobile_normalises_to_the_same_e164(prefix, rest, country, sep):
    written = country + sep.join([prefix, rest[:4], rest[4:]])
    assert normalize_phone(written) == f"+86{prefix}{rest}"


@pytest.mark.parametrize(
    "raw", ["138abc00138000", "1380013800😀0", "13800138000x", "tel:13800138000", "138\x0013800138"]
)
def test_a_number_with_letters_or_emoji_is_refused_not_normalised(raw):
    with pytest.raises(ValidationError) as caught:
        normalize_phone(raw)
    assert caught.value.messages == [
        f"“{raw.strip()}” is not a phone number: only digits, spaces and + - ( ) may be written."
    ]
