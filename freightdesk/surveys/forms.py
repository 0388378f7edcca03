from django import forms
from django.utils.translation import gettext_lazy as _

SCORES = [(i, str(i)) for i in range(5, 0, -1)]


class SurveyForm(forms.Form):
    efficiency = forms.TypedChoiceField(label=_("How fast was your problem handled?"), choices=SCORES, coerce=int,
                                        widget=forms.RadioSelect)
    attitude = forms.TypedChoiceField(label=_("How was our staff's attitude?"), choices=SCORES, coerce=int,
                                      widget=forms.RadioSelect)
    solution = forms.TypedChoiceField(label=_("How satisfied are you with the solution?"), choices=SCORES, coerce=int,
                                      widget=forms.RadioSelect)
    comment = forms.CharField(label=_("Anything else you want to tell us?"), required=False, max_length=1000,
                              widget=forms.Textarea(attrs={"rows": 3}))
