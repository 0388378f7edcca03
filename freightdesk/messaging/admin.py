from django.contrib import admin

from .models import Message, MessageTemplate


@admin.register(MessageTemplate)
class MessageTemplateAdmin(admin.ModelAdmin):
    """Templates are checked on save (``MessageTemplate.clean``): a syntax error is refused with its reason."""

    list_display = ["code", "name", "body"]
    search_fields = ["code", "name"]


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ["id", "order", "to", "recipient_role", "state", "attempts", "error_kind", "created_at"]
    list_filter = ["state", "error_kind", "kind"]
    search_fields = ["to", "order__serial", "idempotency_key", "provider_message_id"]
    readonly_fields = [f.name for f in Message._meta.fields]

    def has_add_permission(self, request):
        return False
