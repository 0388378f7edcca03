from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import (
    DelayPenaltyBand,
    DepartmentHead,
    LossPenaltyBand,
    Penalty,
    SeverityRule,
    SlaPolicy,
    Ticket,
    TicketEvent,
)


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


@admin.register(SeverityRule)
class SeverityRuleAdmin(admin.ModelAdmin):
    """When a ticket's severity rises on its own (001 第二篇); each rise is written on the ticket with the reason."""

    list_display = ("code", "trigger", "category", "subcategory", "raise_to", "score_at_most", "keywords", "active")
    list_filter = ("trigger", "category", "active")
    list_editable = ("score_at_most", "keywords", "active")


@admin.register(LossPenaltyBand)
class LossPenaltyBandAdmin(admin.ModelAdmin):
    list_display = ("loss_from", "share_percent", "head_share_percent")
    list_editable = ("share_percent", "head_share_percent")


@admin.register(DelayPenaltyBand)
class DelayPenaltyBandAdmin(admin.ModelAdmin):
    list_display = ("minutes_late_from", "share_percent")
    list_editable = ("share_percent",)


@admin.register(DepartmentHead)
class DepartmentHeadAdmin(admin.ModelAdmin):
    list_display = ("department", "user")
    raw_id_fields = ("user",)


@admin.register(Penalty)
class PenaltyAdmin(admin.ModelAdmin):
    """Read-only: penalties are charged by the complaint's penalty step."""

    list_display = ("ticket", "kind", "person_label", "percent", "proposed_percent", "loss_amount", "charged_at")
    list_filter = ("kind",)
    search_fields = ("ticket__number", "person_label")
    list_select_related = ("ticket",)

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
