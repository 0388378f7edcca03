from django.contrib import admin

from .models import FollowUp


@admin.register(FollowUp)
class FollowUpAdmin(admin.ModelAdmin):
    list_display = ("kind", "order", "state", "due_at", "outcome")
    list_filter = ("kind", "state")
    search_fields = ("order__serial",)
    raw_id_fields = ("order", "created_by", "closed_by")
