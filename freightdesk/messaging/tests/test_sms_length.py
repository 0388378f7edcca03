from hypothesis import given
from hypothesis import strategies as st

from freightdesk.messaging.sms import GSM, GSM7, GSM7_EXTENDED, UCS2, measure


def test_chinese_text_is_one_sms_up_to_70_characters_then_67_per_part():
    assert measure("字" * 70) == measure("字" * 70).__class__(UCS2, 70, 1)
    assert measure("字" * 71).segments == 2
    assert measure("字" * 134).segments == 2
    assert measure("字" * 135).segments == 3


def test_plain_latin_text_is_gsm7_160_then_153_per_part():
    assert measure("a" * 160).encoding == GSM and measure("a" * 160).segments == 1
    assert measure("a" * 161).segments == 2
    assert measure("a" * 306).segments == 2
    assert measure("a" * 307).segments == 3


def test_gsm7_extension_characters_count_twice():
    assert measure("{" * 80).units == 160 and measure("{" * 80).segments == 1
    assert measure("{" * 81).segments == 2


def test_one_chinese_character_switches_the_whole_text_to_ucs2():
    assert measure("a" * 69 + "字").encoding == UCS2
    assert measure("a" * 70 + "字").segments == 2


def test_an_emoji_counts_two_ucs2_units():
    assert measure("😀" * 35).units == 70 and measure("😀" * 35).segments == 1
    assert measure("😀" * 36).segments == 2


@given(st.text(max_size=400))
def test_parts_always_hold_the_text(text):
    length = measure(text)
    single, part = (160, 153) if length.encoding == GSM else (70, 67)
    if length.segments == 1:
        assert length.units <= single
    else:
        assert (length.segments - 1) * part < length.units <= length.segments * part


@given(st.text(alphabet=st.sampled_from(sorted(GSM7) + ["字", "é", "€", "😀", "\u3000"]), max_size=200))
def test_the_encoding_scan_agrees_with_the_gsm7_alphabet_and_counts_extension_characters_twice(text):
    expected = GSM if set(text) <= GSM7 else UCS2
    length = measure(text)
    assert length.encoding == expected
    if expected == GSM:
        assert length.units == len(text) + sum(1 for ch in text if ch in GSM7_EXTENDED)
    else:
        assert length.units == len(text.encode("utf-16-le")) // 2
