"""Forms of the tracking pages: parse only; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from freightdesk.core.cleaning import CleanForm

from .models import CallOutcome, EventType, QueryChannel, QueryType


class EventForm(CleanForm):
    type = forms.ChoiceField(label=_("Report"), choices=EventType.choices)
    at = forms.DateTimeField(
        label=_("When"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=_("Leave empty for now."),
    )
    note = forms.CharField(label=_("Note / reason"), max_length=200, required=False)
    waybill = forms.CharField(label=_("Waybill"), max_length=30, required=False)


NO_CALL = "none"  # the form's word for "no call made" (stored as the empty outcome)


class ActionForm(CleanForm):
    followup = forms.IntegerField(widget=forms.HiddenInput)
    customer_called = forms.BooleanField(required=False, widget=forms.HiddenInput)
    text = forms.CharField(label=_("SMS text"), max_length=300, widget=forms.Textarea(attrs={"rows": 3}))
    # No default: the agent says how the call went (or that he made none), never a preselected 已接通.
    call_outcome = forms.ChoiceField(
        label=_("Call"),
        choices=[("", _("— choose how the call went —")), (NO_CALL, _("No call"))]
        + [c for c in CallOutcome.choices if c[0]],
        error_messages={"required": _("Choose how the call went (or “No call”).")},
    )
    note = forms.CharField(label=_("Result"), max_length=200, required=False)

    def clean_call_outcome(self):
        value = self.cleaned_data["call_outcome"]
        return "" if value == NO_CALL else value


class CallbackForm(CleanForm):
    followup = forms.IntegerField(widget=forms.HiddenInput)
    call_outcome = forms.ChoiceField(
        label=_("Call"),
        choices=[("", _("— choose how the call went —"))] + [c for c in CallOutcome.choices if c[0]],
        error_messages={"required": _("Choose how the call went.")},
    )
    note = forms.CharField(label=_("What the customer was told"), max_length=200)


class QueryForm(CleanForm):
    type = forms.ChoiceField(label=_("Type"), choices=QueryType.choices)
    channel = forms.ChoiceField(label=_("Channel"), choices=QueryChannel.choices)
    question = forms.CharField(label=_("Question"), max_length=300, required=False)
    answer = forms.CharField(label=_("Answer given"), max_length=300, required=False)
    callback_at = forms.DateTimeField(
        label=_("Or: promise a callback at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )


class TrackForm(CleanForm):
    serial = forms.RegexField(
        label=_("Order number"),
        regex=r"^\d{6,16}$",
        max_length=16,
        error_messages={"invalid": _("Enter the order number (digits).")},
    )
    phone_last4 = forms.RegexField(
        label=_("Last four digits of your phone"),
        regex=r"^\d{4}$",
        max_length=4,
        error_messages={"invalid": _("Enter four digits.")},
    )
