"""Validation the API needs beyond OrderForm: each item of `extra_fees`."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy

from freightdesk.core.cleaning import CleanForm
from freightdesk.network.models import FeeKind

from .schemas import MAX_FEE


class ExtraFeeForm(CleanForm):
    """One extra charge (装卸费…): a known kind and an amount in yuan, at most 2 decimals."""

    shared_fields = True  # no form changes its fields (see CleanForm)

    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=FeeKind.choices)
    amount = forms.DecimalField(
        label=gettext_lazy("Amount"),
        min_value=Decimal("0"),
        max_value=Decimal(MAX_FEE),
        max_digits=10,
        decimal_places=2,
        error_messages={
            "min_value": gettext_lazy("A fee cannot be negative."),
            "invalid": gettext_lazy("Enter a number, e.g. 2.5."),
            "max_decimal_places": gettext_lazy("At most %(max)s decimal places."),
            "max_digits": gettext_lazy("That number is too long."),
            "max_whole_digits": gettext_lazy("That number is too long."),
        },
    )
