from django import forms
from django.utils.translation import gettext_lazy as _

from freightdesk.core.cleaning import CleanForm
from freightdesk.network.models import Driver

from .models import Category, SlaPolicy, TargetKind, TicketChannel
from .targets import TargetIn


def subcategory_choices():
    rows = SlaPolicy.objects.filter(active=True).order_by("category", "subcategory")
    return [("", "---------")] + [
        (f"{p.category}:{p.subcategory}", f"{p.get_category_display()} · {p.label}") for p in rows
    ]


class TicketForm(CleanForm):
    """Record a ticket in seconds from a call (SPEC §10 flow: collect name, contact, order, problem; classify)."""

    kind = forms.ChoiceField(label=_("Category and sub-category"))
    channel = forms.ChoiceField(label=_("Channel"), choices=TicketChannel.choices, initial=TicketChannel.PHONE)
    customer_phone = forms.CharField(label=_("Caller's phone"), max_length=30, required=False)
    customer_name = forms.CharField(label=_("Caller's name"), max_length=40, required=False)
    order = forms.CharField(label=_("Order serial"), max_length=16, required=False)
    description = forms.CharField(
        label=_("What the customer said"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    demand = forms.CharField(label=_("What the customer wants"), max_length=500, required=False)
    # Complaints only (投诉对象); left empty, the order decides (tickets/targets.py).
    target_kind = forms.ChoiceField(
        label=_("Complaint about"),
        choices=[("", _("As the order says"))] + list(TargetKind.choices),
        required=False,
    )
    target_driver = forms.ChoiceField(label=_("Driver complained about"), required=False)
    target_agent = forms.CharField(label=_("Agent complained about (agent id)"), max_length=4, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = subcategory_choices()
        self.fields["target_driver"].choices = [("", "---------")] + [
            (code, f"{name} ({code})")
            for code, name in Driver.objects.filter(active=True, code__isnull=False).values_list("code", "name")
        ]

    def target(self) -> TargetIn:
        data = self.cleaned_data
        return TargetIn(kind=data["target_kind"], driver=data["target_driver"], agent=data["target_agent"].strip())

    def clean_kind(self):
        category, _sep, subcategory = self.cleaned_data["kind"].partition(":")
        if category not in Category.values:
            raise forms.ValidationError(_("Choose a category."))
        self.cleaned_data["category"], self.cleaned_data["subcategory"] = category, subcategory
        return self.cleaned_data["kind"]


class CallbackForm(CleanForm):
    due_at = forms.DateTimeField(label=_("Call back by"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    note = forms.CharField(label=_("Note"), max_length=200, required=False)
