"""Forms of the field's pages: parse only; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from freightdesk.core.cleaning import CleanForm


class FleetCallForm(CleanForm):
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class ReportForm(CleanForm):
    """What the driver's page posts; the position, the photo and the rules are checked by the service."""

    serial = forms.CharField(max_length=16)
    kind = forms.CharField(max_length=12)
    key = forms.CharField(max_length=64)
    at = forms.CharField(max_length=40, required=False)
    latitude = forms.CharField(max_length=24, required=False)
    longitude = forms.CharField(max_length=24, required=False)
    accuracy = forms.CharField(max_length=24, required=False)
    place = forms.CharField(max_length=60, required=False)
    pieces = forms.IntegerField(min_value=0, max_value=100000, required=False)
    receiver = forms.CharField(max_length=40, required=False)
    reason = forms.CharField(max_length=20, required=False)
    note = forms.CharField(max_length=150, required=False)


class PositionForm(CleanForm):
    """The phone's live position from the driver's open page; the service checks the range."""

    latitude = forms.CharField(max_length=24)
    longitude = forms.CharField(max_length=24)
    accuracy = forms.CharField(max_length=24, required=False)
