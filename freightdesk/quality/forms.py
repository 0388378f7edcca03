from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from .checklist import PHONE_CHECKLIST

SCORES = [(i, str(i)) for i in range(1, 6)]


class ReviewForm(forms.Form):
    agent = forms.ModelChoiceField(label=_("Agent"), queryset=get_user_model().objects.none())
    ticket = forms.CharField(label=_("Ticket number"), max_length=12, required=False)
    call_ref = forms.CharField(label=_("Call id / recording"), max_length=120, required=False)
    greeting = forms.TypedChoiceField(label=_("Greeting"), choices=SCORES, coerce=int)
    entry = forms.TypedChoiceField(label=_("Entry: describe the problem, state the position"), choices=SCORES,
                                   coerce=int)
    transformation = forms.TypedChoiceField(label=_("Transformation"), choices=SCORES, coerce=int)
    agreement = forms.TypedChoiceField(label=_("Agreement"), choices=SCORES, coerce=int)
    closing = forms.TypedChoiceField(label=_("Closing"), choices=SCORES, coerce=int)
    checklist = forms.MultipleChoiceField(label=_("Observation checklist"), choices=list(PHONE_CHECKLIST.items()),
                                          required=False, widget=forms.CheckboxSelectMultiple)
    comments = forms.CharField(label=_("Comments"), max_length=2000, required=False,
                               widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agent"].queryset = (get_user_model().objects.filter(groups__name="agent", is_active=True)
                                         .select_related("profile").order_by("username"))
