from django.contrib import admin

from .models import ChatSettings, Conversation


@admin.register(ChatSettings)
class ChatSettingsAdmin(admin.ModelAdmin):
    list_display = ("max_chats_per_agent", "away_after_minutes")

    def has_add_permission(self, request):
        return not ChatSettings.objects.exists()


@admin.register(Conversation)
class ConversationAdmin(admin.ModelAdmin):
    list_display = ("id", "channel", "status", "customer_name", "agent", "created_at", "answer_due_at")
    list_filter = ("channel", "status")
    readonly_fields = ("access_key",)
    raw_id_fields = ("customer", "account", "order", "agent", "created_order", "ticket")
