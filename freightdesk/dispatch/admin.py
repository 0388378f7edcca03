from django.contrib import admin

from .models import Dispatch, DispatchCall, DriverLink, PlaceAbbreviation


@admin.register(PlaceAbbreviation)
class PlaceAbbreviationAdmin(admin.ModelAdmin):
    list_display = ["full", "short", "active"]
    list_editable = ["short", "active"]
    search_fields = ["full", "short"]


class CallInline(admin.TabularInline):
    model = DispatchCall
    extra = 0
    readonly_fields = ["recipient_role", "phone", "outcome", "note", "at", "by"]


@admin.register(Dispatch)
class DispatchAdmin(admin.ModelAdmin):
    list_display = ["order", "region", "agent_code", "dispatched_at", "due_at", "missed", "segments"]
    list_filter = ["missed", "region"]
    search_fields = ["order__serial", "agent_code"]
    readonly_fields = [f.name for f in Dispatch._meta.fields]
    inlines = [CallInline]


admin.site.register(DriverLink, raw_id_fields=("order", "driver"), list_display=("order", "expires_at"))
