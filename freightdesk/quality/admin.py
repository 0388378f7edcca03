from django.contrib import admin

from .models import CallReview


@admin.register(CallReview)
class CallReviewAdmin(admin.ModelAdmin):
    list_display = ("reviewed_at", "agent", "reviewer", "average", "ticket")
    list_filter = ("reviewer",)
