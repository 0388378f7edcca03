from django.contrib import admin

from .models import Survey


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ("sent_at", "ticket", "order", "answered_at", "efficiency", "attitude", "solution")
    readonly_fields = ("token",)
