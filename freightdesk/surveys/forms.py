from django import forms
from django.utils.translation import gettext_lazy as _

from freightdesk.core.cleaning import CleanForm

SCORES = [(i, str(i)) for i in range(5, 0, -1)]


class SurveyForm(CleanForm):
    efficiency = forms.TypedChoiceField(
        label=_("How fast was your problem handled?"), choices=SCORES, coerce=int, widget=forms.RadioSelect
    )
    attitude = forms.TypedChoiceField(
        label=_("How was our staff's attitude?"), choices=SCORES, coerce=int, widget=forms.RadioSelect
    )
    solution = forms.TypedChoiceField(
        label=_("How satisfied are you with the solution?"), choices=SCORES, coerce=int, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Anything else you want to tell us?"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DeliverySurveyForm(SurveyForm):
    """The survey after a delivery (an order, no ticket): the same three scores, asked about the delivery."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["efficiency"].label = _("Were your goods picked up and delivered on time?")  # 效率
        self.fields["attitude"].label = _("How was the service attitude of our driver and customer service?")  # 态度
        self.fields["solution"].label = _("Did your goods arrive intact? How satisfied are you with this delivery?")


def form_for(survey, data=None) -> SurveyForm:
    """A ticket's survey asks about the problem's handling; a delivery's (order, no ticket) about the delivery."""
    return (DeliverySurveyForm if survey.ticket_id is None and survey.order_id else SurveyForm)(data)
