from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from freightdesk.core.phones import normalize_phone

from .models import CallList, DoNotCall
from .services import add_do_not_call, skip_open_items


class DoNotCallForm(forms.ModelForm):
    class Meta:
        model = DoNotCall
        fields = ["number", "reason"]

    def clean_number(self):
        try:
            return normalize_phone(self.cleaned_data["number"])
        except ValidationError as exc:
            raise forms.ValidationError(exc.messages[0]) from exc


@admin.register(DoNotCall)
class DoNotCallAdmin(admin.ModelAdmin):
    """The do-not-call list (勿扰): a number saved here is skipped on every list at once."""

    form = DoNotCallForm

    list_display = ["number", "reason", "added_at", "added_by"]
    search_fields = ["number", "reason"]
    readonly_fields = ["added_at", "added_by"]

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            skip_open_items(number=obj.number, now=obj.added_at)
            return
        saved = add_do_not_call(number=obj.number, reason=obj.reason, by=request.user)
        obj.pk, obj.number = saved.pk, saved.number


@admin.register(CallList)
class CallListAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "created_at", "created_by", "matched"]
    list_filter = ["kind"]
    readonly_fields = ["params", "matched", "created_by", "created_at"]
