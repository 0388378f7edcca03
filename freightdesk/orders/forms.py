"""Order intake validation, shared by the phone desk, the web page and the API (one set of messages)."""

from decimal import Decimal

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from freightdesk.core.cleaning import CleanForm
from freightdesk.core.phones import normalize_phone
from freightdesk.network.models import FeeKind
from freightdesk.network.selectors import active_region, match_prohibited, match_restricted, resolve_region

from .models import Channel, PaymentMethod

LIMITS = settings.FREIGHTDESK
POSITIVE = {"min_value": gettext_lazy("Must be greater than zero.")}


def _positive_decimal(label, max_value, max_digits, decimal_places):
    return forms.DecimalField(
        label=label,
        max_digits=max_digits,
        decimal_places=decimal_places,
        min_value=Decimal("0.01"),
        max_value=max_value,
        error_messages={
            "min_value": gettext_lazy("Must be greater than zero."),
            "max_value": gettext_lazy("%(limit_value)s is the most one order can carry; split the shipment."),
            "invalid": gettext_lazy("Enter a number, e.g. 2.5."),
            "max_decimal_places": gettext_lazy("At most %(max)s decimal places."),
            "max_digits": gettext_lazy("That number is too long."),
            "max_whole_digits": gettext_lazy("That number is too long."),
        },
    )


class OrderForm(CleanForm):
    """Every field of SPEC §3. Regions are codes; when empty they are resolved from the address."""

    shared_fields = True  # no form changes its fields (see CleanForm)

    channel = forms.ChoiceField(label=gettext_lazy("Channel"), choices=Channel.choices, initial=Channel.PHONE)
    shipper_name = forms.CharField(label=gettext_lazy("Pickup contact"), max_length=40)
    shipper_phone = forms.CharField(label=gettext_lazy("Pickup phone"), max_length=30)
    pickup_address = forms.CharField(label=gettext_lazy("Pickup address"), max_length=LIMITS["MAX_TEXT"])
    pickup_region = forms.CharField(label=gettext_lazy("Pickup region"), max_length=20, required=False)
    consignee_name = forms.CharField(label=gettext_lazy("Consignee"), max_length=40)
    consignee_phone = forms.CharField(label=gettext_lazy("Consignee phone"), max_length=30)
    delivery_address = forms.CharField(label=gettext_lazy("Delivery address"), max_length=LIMITS["MAX_TEXT"])
    delivery_region = forms.CharField(label=gettext_lazy("Delivery region"), max_length=20, required=False)
    goods_name = forms.CharField(label=gettext_lazy("Goods"), max_length=40)
    quantity = forms.IntegerField(
        label=gettext_lazy("Pieces"),
        min_value=1,
        max_value=LIMITS["MAX_QUANTITY"],
        error_messages={
            "min_value": gettext_lazy("Must be at least 1 piece."),
            "max_value": gettext_lazy("%(limit_value)s is the most one order can carry; split the shipment."),
            "invalid": gettext_lazy("Enter a whole number of pieces."),
        },
    )
    weight_kg = _positive_decimal(gettext_lazy("Weight (kg)"), LIMITS["MAX_WEIGHT_KG"], 10, 2)
    volume_m3 = _positive_decimal(gettext_lazy("Volume (m³)"), LIMITS["MAX_VOLUME_M3"], 8, 2)
    packaging_ok = forms.BooleanField(label=gettext_lazy("Packaging adequate"), required=False, initial=True)
    payment_method = forms.ChoiceField(label=gettext_lazy("Payment method"), choices=PaymentMethod.choices)
    loading_fee = forms.DecimalField(
        label=gettext_lazy("Loading/unloading fee"),
        required=False,
        min_value=Decimal("0"),
        max_value=Decimal("100000"),
        max_digits=10,
        decimal_places=2,
        error_messages={"min_value": gettext_lazy("A fee cannot be negative.")},
    )
    other_fee = forms.DecimalField(
        label=gettext_lazy("Other fees"),
        required=False,
        min_value=Decimal("0"),
        max_value=Decimal("100000"),
        max_digits=10,
        decimal_places=2,
        error_messages={"min_value": gettext_lazy("A fee cannot be negative.")},
    )
    delivery_deadline = forms.DateTimeField(label=gettext_lazy("Deliver before"), required=False)
    note = forms.CharField(label=gettext_lazy("Note"), max_length=LIMITS["MAX_TEXT"], required=False)
    restricted_confirmation = forms.CharField(
        label=gettext_lazy("Restricted goods: confirmed with the caller"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("Packaging and quantity as the caller described them."),
    )

    def __init__(self, *args, extra_fees=None, confirm_restricted=False, **kwargs):
        """``confirm_restricted``: the agent is on the phone with the caller, so restricted goods need what he
        confirmed (the phone desk); a web or API order keeps the match for the review call."""
        super().__init__(*args, **kwargs)
        self.extra_fees = list(extra_fees or [])
        self.confirm_restricted = confirm_restricted
        self.prohibited_hit = None
        self.restricted_hit = None

    # --- field rules -------------------------------------------------------
    def clean_shipper_phone(self):
        return normalize_phone(self.cleaned_data["shipper_phone"])

    def clean_consignee_phone(self):
        return normalize_phone(self.cleaned_data["consignee_phone"])

    def _clean_text(self, name):
        value = " ".join(self.cleaned_data[name].split())
        if not value:
            raise ValidationError(_("This field is required."), code="required")
        return value

    def clean_shipper_name(self):
        return self._clean_text("shipper_name")

    def clean_consignee_name(self):
        return self._clean_text("consignee_name")

    def clean_pickup_address(self):
        return self._clean_text("pickup_address")

    def clean_delivery_address(self):
        return self._clean_text("delivery_address")

    def clean_goods_name(self):
        name = self._clean_text("goods_name")
        hit = match_prohibited(name)
        if hit:
            self.prohibited_hit = hit
            raise ValidationError(
                _("“%(goods)s” is prohibited goods (%(category)s: %(term)s). %(reason)s The order cannot be accepted.")
                % {"goods": name, "category": hit.goods.category, "term": hit.term, "reason": hit.goods.reason},
                code="prohibited",
            )
        return name

    def clean_delivery_deadline(self):
        deadline = self.cleaned_data.get("delivery_deadline")
        if deadline and deadline < timezone.now():
            raise ValidationError(_("The delivery deadline is in the past."), code="past")
        return deadline

    def _region(self, field, address_field):
        code = (self.cleaned_data.get(field) or "").strip()
        if code:
            region = active_region(code)
            if region is None:
                self.add_error(field, ValidationError(_("Unknown region “%(code)s”.") % {"code": code}, code="unknown"))
            return region
        address = self.cleaned_data.get(address_field)
        if not address:
            return None
        region = resolve_region(address)
        if region is None:
            self.add_error(
                field,
                ValidationError(_("Could not tell the region from the address; choose the region."), code="unresolved"),
            )
        return region

    def clean(self):
        data = super().clean()
        data["pickup_region_obj"] = self._region("pickup_region", "pickup_address")
        data["delivery_region_obj"] = self._region("delivery_region", "delivery_address")
        fees = list(self.extra_fees)
        if data.get("loading_fee"):
            fees.append((FeeKind.LOADING, data["loading_fee"]))
        if data.get("other_fee"):
            fees.append((FeeKind.OTHER, data["other_fee"]))
        data["fees"] = fees
        self._check_restricted(data)
        return data

    def _check_restricted(self, data):
        """Restricted goods (限寄物品): recorded on the order; at the phone desk only with what the caller confirmed."""
        goods = data.get("goods_name")
        hit = match_restricted(goods) if goods else None
        self.restricted_hit = hit
        data["restricted_goods"] = hit.goods.name if hit else ""
        confirmation = " ".join((data.get("restricted_confirmation") or "").split())
        data["restricted_confirmation"] = confirmation if hit else ""
        if hit and self.confirm_restricted and not confirmation:
            self.add_error(
                "restricted_confirmation",
                ValidationError(
                    _(
                        "“%(goods)s” is restricted goods (%(term)s): confirm with the caller %(what)s, and write it here."
                    )
                    % {"goods": goods, "term": hit.term, "what": hit.goods.confirm},
                    code="restricted",
                ),
            )
