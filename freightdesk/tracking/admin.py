from django.contrib import admin

from .models import Query, Shipment, StatusEvent


@admin.register(StatusEvent)
class StatusEventAdmin(admin.ModelAdmin):
    list_display = ("order", "type", "at", "source", "by_label")
    list_filter = ("type", "source")
    search_fields = ("order__serial",)
    raw_id_fields = ("order", "by")

    def has_change_permission(self, request, obj=None):
        return False  # the history is append-only


admin.site.register(Shipment, raw_id_fields=("order",), search_fields=("order__serial",))
admin.site.register(Query, raw_id_fields=("order", "by"), list_display=("order", "type", "channel", "at"))
