"""Read-only admin for orders: state changes go through the orders' services (intake, review, corrections), never through a form (STYLE.md)."""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from freightdesk.core.phones import normalize_phone

from .models import Enquiry, Order, OrderEvent, OrderFee


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class OrderFeeInline(ReadOnlyMixin, admin.TabularInline):
    model = OrderFee
    extra = 0
    fields = ["kind", "amount"]


class OrderEventInline(ReadOnlyMixin, admin.TabularInline):
    model = OrderEvent
    extra = 0
    fields = ["at", "kind", "by_label", "text", "changes"]
    ordering = ["at", "id"]


def search_orders(queryset, term: str):
    """A serial, a phone in any written form, or part of a name — each with an indexed look-up where it can."""
    term = term.strip()
    if not term:
        return queryset
    if term.isdigit() and 9 <= len(term) <= 10:
        return queryset.filter(serial=term)
    try:
        number = normalize_phone(term)
    except ValidationError:
        return queryset.filter(Q(shipper_name__icontains=term) | Q(consignee_name__icontains=term))
    return queryset.filter(Q(shipper_phone=number) | Q(consignee_phone=number))


@admin.register(Order)
class OrderAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = [
        "serial",
        "created_at",
        "status",
        "channel",
        "shipper_name",
        "goods_name",
        "quantity",
        "pickup_region",
        "delivery_region",
        "total",
        "agent_id",
    ]
    list_filter = ["status", "channel", "payment_method", "created_at", "pickup_region"]
    search_fields = ["serial"]  # see get_search_results
    search_help_text = _("Serial, phone number, or part of a shipper's or consignee's name.")
    list_select_related = ["pickup_region", "delivery_region"]
    show_full_result_count = False  # a million orders: no COUNT(*) per page
    inlines = [OrderFeeInline, OrderEventInline]
    readonly_fields = ["intake_key"]

    def get_search_results(self, request, queryset, search_term):
        return search_orders(queryset, search_term), False


@admin.register(Enquiry)
class EnquiryAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["at", "channel", "outcome", "pickup_region", "goods_name", "phone", "reason", "order"]
    list_filter = ["outcome", "channel", "pickup_region"]
    search_fields = ["goods_name", "phone", "pickup_address", "order__serial"]
    list_select_related = ["pickup_region", "order"]
