"""Admin for the working calendar and the deadline policies (工作日历与时效标准)."""

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from freightdesk.core import worktime
from freightdesk.core.models import DeadlinePolicy, WorkingDayOverride


class CalendarWarningMixin:
    def changelist_view(self, request, extra_context=None):
        text = worktime.calendar_warning(timezone.localdate())
        if text:
            messages.warning(request, text)
        return super().changelist_view(request, extra_context)


@admin.register(DeadlinePolicy)
class DeadlinePolicyAdmin(CalendarWarningMixin, admin.ModelAdmin):
    list_display = ["code", "name", "minutes", "basis", "due_at_opening_when_closed"]
    list_editable = ["minutes", "basis", "due_at_opening_when_closed"]
    search_fields = ["code", "name"]

    def get_readonly_fields(self, request, obj=None):
        # The program looks policies up by code: renaming one would silently use the default.
        return ["code"] if obj else []


@admin.register(WorkingDayOverride)
class WorkingDayOverrideAdmin(CalendarWarningMixin, admin.ModelAdmin):
    list_display = ["date", "weekday", "is_working", "opens_at", "closes_at", "official_schedule", "note"]
    list_filter = ["is_working", "official_schedule"]
    date_hierarchy = "date"
    search_fields = ["note"]
    actions = ["mark_official"]

    @admin.display(description=_("weekday"))
    def weekday(self, obj):
        return WEEKDAYS[obj.date.weekday()]

    @admin.action(description=_("Mark the selected days as the official holiday schedule"))
    def mark_official(self, request, queryset):
        for row in queryset:  # save() per row so the calendar cache is invalidated
            row.official_schedule = True
            row.save(update_fields=["official_schedule"])
        self.message_user(
            request, gettext("Marked %(count)d days as the official schedule.") % {"count": queryset.count()}
        )


# The admin index shows the same warning. Only when no one has set another index template.
if admin.site.index_template is None:
    admin.site.index_template = "admin/core/index_with_calendar_warning.html"
