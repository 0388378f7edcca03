from django import forms
from django.utils.translation import gettext_lazy as _

from freightdesk.core.cleaning import CleanForm

from .models import Category, SlaPolicy, TicketChannel


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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = subcategory_choices()

    def clean_kind(self):
        category, _sep, subcategory = self.cleaned_data["kind"].partition(":")
        if category not in Category.values:
            raise forms.ValidationError(_("Choose a category."))
        self.cleaned_data["category"], self.cleaned_data["subcategory"] = category, subcategory
        return self.cleaned_data["kind"]


class CallbackForm(CleanForm):
    due_at = forms.DateTimeField(label=_("Call back by"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    note = forms.CharField(label=_("Note"), max_length=200, required=False)
