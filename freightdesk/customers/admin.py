"""Admin for customers (SPEC §3): shippers and consignees with their numbers and address book."""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q
from django.template.response import TemplateResponse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from freightdesk.core.cleaning import CleanModelForm
from freightdesk.core.errors import DomainError
from freightdesk.core.phones import display_phone, normalize_phone

from .merging import merge_customers, oldest
from .models import Address, Contact, Customer, CustomerPhone


class CustomerPhoneForm(CleanModelForm):
    class Meta:
        model = CustomerPhone
        fields = ["number"]

    def clean_number(self):
        number = normalize_phone(self.cleaned_data.get("number", ""))
        owner = CustomerPhone.objects.filter(number=number).exclude(customer=self.instance.customer_id).first()
        if owner is not None:
            raise ValidationError(
                gettext("%(number)s is already the number of “%(customer)s”: merge the two customers instead.")
                % {"number": display_phone(number), "customer": owner.customer}
            )
        return number


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
    list_display = ["name", "company", "phone_list", "contact_list", "last_order_at", "created_at"]
    search_fields = ["name", "company", "phones__number", "contacts__name"]
    list_filter = ["last_order_at"]
    readonly_fields = ["contact_list"]
    inlines = [CustomerPhoneInline, AddressInline]
    ordering = ["-last_order_at", "-id"]
    actions = ["merge_selected"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch("phones", queryset=CustomerPhone.objects.order_by("id")),
                Prefetch("contacts", queryset=Contact.objects.order_by("-last_used_at", "-id")),
            )
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

    @admin.display(description=_("contacts"))
    def contact_list(self, obj):
        """The names people gave on the customer's numbers (联系人), the latest first."""
        return ", ".join(c.name for c in obj.contacts.all())

    def has_merge_permission(self, request):
        """A merge changes one customer and deletes the others: it needs both rights (admin checks any one
        of an action's listed permissions, hence this single one)."""
        return self.has_change_permission(request) and self.has_delete_permission(request)

    @admin.action(permissions=["merge"], description=_("Merge the selected customers into one…"))
    def merge_selected(self, request, queryset):
        """Merge duplicates into the oldest of them or the one chosen: every order, ticket, call, number,
        contact and address moves to it, in one transaction; refused with the reason when it cannot."""
        customers = list(queryset.order_by("created_at", "id"))
        if len(customers) < 2:
            self.message_user(request, gettext("Choose at least two customers to merge."), messages.ERROR)
            return None
        chosen = next((c for c in customers if str(c.pk) == request.POST.get("survivor")), None)
        if chosen is None or "post" not in request.POST:
            return self._merge_page(request, customers, chosen or oldest(customers))
        try:
            merged = merge_customers(survivor=chosen, duplicates=customers)
        except DomainError as error:
            self.message_user(request, error.message, messages.ERROR)
            return None
        self.log_change(request, merged.survivor, [{"merged": {"ids": merged.deleted}}])
        count = len(merged.deleted)
        self.message_user(
            request,
            ngettext("Merged %(count)d customer into “%(name)s”.", "Merged %(count)d customers into “%(name)s”.", count)
            % {"count": count, "name": merged.survivor},
            messages.SUCCESS,
        )
        return None

    def _merge_page(self, request, customers, survivor):
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Merge customers"),
            "opts": self.model._meta,
            "customers": customers,
            "survivor": survivor,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/customers/customer/merge.html", context)
