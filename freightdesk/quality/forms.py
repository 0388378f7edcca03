from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from freightdesk.core.cleaning import CleanForm

from .checklist import CHECKLISTS, STAGE_GUIDE, Mode

SCORES = [(i, str(i)) for i in range(1, 6)]
MET, NOT_MET = "met", "not_met"
OBSERVED = [("", _("Did not arise")), (MET, _("Met the standard")), (NOT_MET, _("Not met"))]


def item_field(mode: str, key: str) -> str:
    return f"obs_{mode}_{key}"


class ReviewForm(CleanForm):
    """A supervisor's review: the five stages (001 第五篇) and the observation checklist of the service observed
    (004 附录), each item met / not met / did not arise."""

    agent = forms.ModelChoiceField(label=_("Agent"), queryset=get_user_model().objects.none())
    ticket = forms.CharField(label=_("Ticket number"), max_length=12, required=False)
    call_ref = forms.CharField(label=_("Call id / recording"), max_length=120, required=False)
    mode = forms.ChoiceField(label=_("Service observed"), choices=Mode.choices, initial=Mode.PHONE)
    greeting = forms.TypedChoiceField(
        label=_("Greeting"), choices=SCORES, coerce=int, help_text=STAGE_GUIDE["greeting"]
    )
    entry = forms.TypedChoiceField(
        label=_("Entry: describe the problem, state the position"),
        choices=SCORES,
        coerce=int,
        help_text=STAGE_GUIDE["entry"],
    )
    transformation = forms.TypedChoiceField(
        label=_("Transformation"), choices=SCORES, coerce=int, help_text=STAGE_GUIDE["transformation"]
    )
    agreement = forms.TypedChoiceField(
        label=_("Agreement"), choices=SCORES, coerce=int, help_text=STAGE_GUIDE["agreement"]
    )
    closing = forms.TypedChoiceField(label=_("Closing"), choices=SCORES, coerce=int, help_text=STAGE_GUIDE["closing"])
    comments = forms.CharField(
        label=_("Comments"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agent"].queryset = (
            get_user_model()
            .objects.filter(groups__name="agent", is_active=True)
            .select_related("profile")
            .order_by("username")
        )
        for mode, items in CHECKLISTS.items():
            for key, label in items.items():
                self.fields[item_field(mode, key)] = forms.ChoiceField(
                    label=label, choices=OBSERVED, required=False, widget=forms.RadioSelect
                )

    def stage_fields(self):
        return [self[name] for name in ("greeting", "entry", "transformation", "agreement", "closing")]

    def head_fields(self):
        return [self[name] for name in ("agent", "ticket", "call_ref", "mode")]

    def checklists(self):
        """(mode, label, bound fields) for the template: one fieldset per kind of service."""
        return [
            (mode, Mode(mode).label, [self[item_field(mode, key)] for key in items])
            for mode, items in CHECKLISTS.items()
        ]

    def observed(self) -> dict:
        """item -> met for every item answered, across both lists (the service checks they fit the mode)."""
        out = {}
        for mode, items in CHECKLISTS.items():
            for key in items:
                value = self.cleaned_data.get(item_field(mode, key))
                if value:
                    out[key] = value == MET
        return out
