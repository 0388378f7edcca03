"""Phone numbers go out (dispatch SMS text, SMS gateways) as national digits, without separators."""

from freightdesk.core.phones import national_digits


def test_a_mainland_mobile_goes_out_as_its_eleven_digits():
    assert national_digits("+8613800138000") == "13800138000"


def test_a_landline_goes_out_with_its_area_code_and_no_separators():
    assert national_digits("+862188887777") == "02188887777"


def test_no_number_stays_empty():
    assert national_digits("") == ""
