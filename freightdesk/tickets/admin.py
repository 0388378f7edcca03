from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import SlaPolicy, Ticket, TicketEvent


@admin.register(SlaPolicy)
class SlaPolicyAdmin(admin.ModelAdmin):
    list_display = (
        "category",
        "subcategory",
        "label",
        "owner_group",
        "deadline",
        "minutes",
        "remind_before_minutes",
        "escalate_to",
        "active",
    )
    list_filter = ("category", "owner_group", "deadline__basis", "active")
    list_editable = ("owner_group", "escalate_to", "active")
    list_select_related = ("deadline",)

    @admin.display(description=_("minutes"), ordering="deadline__minutes")
    def minutes(self, policy):
        """The deadline itself is edited under deadline policies (core), with every other deadline."""
        return f"{policy.deadline.minutes} ({policy.deadline.get_basis_display()})"


class TicketEventInline(admin.TabularInline):
    model = TicketEvent
    extra = 0
    can_delete = False
    readonly_fields = ("at", "kind", "by", "by_label", "from_status", "to_status", "text", "changes")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin):
    """Read-only here: statuses change only through the workflow service."""

    list_display = ("number", "category", "subcategory", "severity", "status", "owner_group", "due_at")
    list_filter = ("category", "status", "severity", "owner_group")
    search_fields = ("number", "customer_phone", "customer_name")
    inlines = [TicketEventInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
