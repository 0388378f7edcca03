"""The customer's complaint and suggestion form (SPEC §9 web complaint channel): category, sub-category,
order, description, demand; name and phone on the public page."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import SlaPolicy
from .services import CUSTOMER_CATEGORIES


def customer_kinds():
    rows = SlaPolicy.objects.filter(active=True, category__in=CUSTOMER_CATEGORIES).order_by("category", "subcategory")
    return [("", "---------")] + [
        (f"{p.category}:{p.subcategory}", f"{p.get_category_display()} · {p.label}") for p in rows
    ]


class CustomerTicketForm(forms.Form):
    kind = forms.ChoiceField(label=_("Category and sub-category"))
    order = forms.CharField(label=_("Order serial"), max_length=16, required=False)
    description = forms.CharField(
        label=_("What happened"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4, "maxlength": 2000})
    )
    demand = forms.CharField(label=_("What the customer wants"), max_length=500, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = customer_kinds()

    def clean_kind(self):
        category, _sep, subcategory = self.cleaned_data["kind"].partition(":")
        if category not in CUSTOMER_CATEGORIES:
            raise forms.ValidationError(_("Choose a category."))
        self.cleaned_data["category"], self.cleaned_data["subcategory"] = category, subcategory
        return self.cleaned_data["kind"]


class PublicTicketForm(CustomerTicketForm):
    name = forms.CharField(label=_("Your name"), max_length=40)
    phone = forms.CharField(label=_("Mobile phone"), max_length=30)
    website = forms.CharField(required=False, max_length=200, label=_("Leave this empty"))  # honeypot


class FollowForm(forms.Form):
    number = forms.CharField(label=_("Ticket number"), max_length=12)
    phone_last4 = forms.RegexField(
        label=_("Last 4 digits of your phone"),
        regex=r"^\d{4}$",
        max_length=4,
        error_messages={"invalid": _("Enter the last four digits of the phone number.")},
    )
