"""Admin for customers (SPEC §3): shippers and consignees with their numbers and address book."""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q
from django.utils.translation import gettext_lazy as _

from freightdesk.core.cleaning import CleanModelForm
from freightdesk.core.phones import display_phone, normalize_phone

from .models import Address, Customer, CustomerPhone


class CustomerPhoneForm(CleanModelForm):
    class Meta:
        model = CustomerPhone
        fields = ["number"]

    def clean_number(self):
        return normalize_phone(self.cleaned_data.get("number", ""))


class CustomerPhoneInline(admin.TabularInline):
    model = CustomerPhone
    form = CustomerPhoneForm
    extra = 1


class AddressInline(admin.TabularInline):
    model = Address
    extra = 0
    fields = ["text", "region", "last_used_at"]
    ordering = ["-last_used_at"]


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ["name", "company", "phone_list", "last_order_at", "created_at"]
    search_fields = ["name", "company", "phones__number"]
    list_filter = ["last_order_at"]
    inlines = [CustomerPhoneInline, AddressInline]
    ordering = ["-last_order_at", "-id"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("phones", queryset=CustomerPhone.objects.order_by("id")))
        )

    def get_search_results(self, request, queryset, search_term):
        """A number in any written form (138 0013 8000, 021-88887777) finds the customer by its E.164 form."""
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        try:
            number = normalize_phone(search_term)
        except ValidationError:
            return results, may_have_duplicates
        return results | queryset.filter(Q(phones__number=number)), True

    @admin.display(description=_("phones"))
    def phone_list(self, obj):
        return ", ".join(display_phone(p.number) for p in obj.phones.all())
