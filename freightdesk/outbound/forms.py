from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from freightdesk.accounts.roles import Role
from freightdesk.core.cleaning import CleanForm

from .models import RULE_KINDS, ListKind, Outcome


class RuleForm(CleanForm):
    kind = forms.ChoiceField(label=_("Rule"), choices=[(k.value, k.label) for k in RULE_KINDS])
    name = forms.CharField(label=_("List name"), max_length=80, required=False)
    min_orders = forms.IntegerField(
        label=_("At least this many orders a month"), min_value=1, max_value=100_000, required=False
    )
    min_amount = forms.DecimalField(
        label=_("Or at least this many yuan a month"), min_value=1, max_digits=12, decimal_places=2, required=False
    )


class UploadForm(CleanForm):
    file = forms.FileField(
        label=_("Excel (.xlsx) or CSV file"),
        help_text=_("At most 10,000 rows; a column 电话 (phone), optionally 姓名 (name)."),
    )
    name = forms.CharField(label=_("List name"), max_length=80, required=False)


def outbound_agents():
    return get_user_model().objects.filter(groups__name=Role.AGENT, is_active=True).order_by("username")


class AssignForm(CleanForm):
    agents = forms.ModelMultipleChoiceField(
        label=_("Agents"), queryset=get_user_model().objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agents"].queryset = outbound_agents()


class OutcomeForm(CleanForm):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices, widget=forms.RadioSelect)
    next_at = forms.DateTimeField(
        label=_("Call again at"), required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    satisfaction = forms.TypedChoiceField(
        label=_("Satisfaction (1–5)"),
        choices=[("", "—")] + [(n, str(n)) for n in range(1, 6)],
        coerce=int,
        empty_value=None,
        required=False,
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


KIND_LABELS = dict(ListKind.choices)
