"""The text and date-time rules are put on a form's fields once, when its class is made (core.cleaning): every
form instance checks them, a subclass does not check them twice, and a form class declared with shared fields
gives each form its fields as they are instead of copies."""

import pytest
from django import forms

from freightdesk.core.cleaning import CleanForm, validate_text


class Note(CleanForm):
    text = forms.CharField(max_length=40)
    due = forms.DateTimeField(required=False)


class LongNote(Note):
    more = forms.CharField(required=False)


class SharedNote(Note):
    shared_fields = True


@pytest.mark.parametrize("form_class", [Note, LongNote, SharedNote])
@pytest.mark.parametrize(
    ("data", "code"),
    [
        ({"text": "a\x00b"}, "control_character"),
        ({"text": "\u200b\u200b"}, "invisible"),
        ({"text": "ok", "due": "2026-11-23"}, "invalid_datetime"),
        ({"text": "ok", "due": "9999-12-31 10:00"}, "out_of_range"),
    ],
)
def test_every_form_of_a_clean_class_refuses_what_is_not_text_or_a_time(form_class, data, code):
    for _form in range(3):
        form = form_class(data=data)
        assert not form.is_valid()
        assert code in [error.code for errors in form.errors.as_data().values() for error in errors]


def test_a_subclass_checks_each_rule_once():
    for form_class in (Note, LongNote, SharedNote):
        form_class(data={"text": "ok"}).is_valid()
    assert LongNote.base_fields["text"].validators.count(validate_text) == 1
    assert not getattr(LongNote.base_fields["due"].to_python.__closure__[0].cell_contents, "strict", False)


def test_a_form_with_shared_fields_takes_its_class_fields_and_another_takes_copies():
    assert SharedNote(data={"text": "ok"}).fields["text"] is SharedNote.base_fields["text"]
    assert Note(data={"text": "ok"}).fields["text"] is not Note.base_fields["text"]
    form = SharedNote(data={"text": "ok", "due": "2026-11-23 10:00"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["due"].utcoffset().total_seconds() == 8 * 3600
