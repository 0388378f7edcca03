"""Admin for people: the user with his staff profile (agent id 工号), customer accounts, API tokens."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from freightdesk.core.cleaning import CleanModelForm
from freightdesk.core.phones import normalize_phone

from .models import ApiToken, CustomerAccount, StaffProfile

User = get_user_model()


class StaffProfileForm(CleanModelForm):
    class Meta:
        model = StaffProfile
        fields = ["agent_id", "display_name", "phone"]

    def clean_agent_id(self):
        # Blank means "no agent id" (NULL), so any number of non-agents can exist beside the unique ids.
        return (self.cleaned_data.get("agent_id") or "").strip() or None

    def clean_phone(self):
        raw = self.cleaned_data.get("phone", "")
        return normalize_phone(raw) if raw.strip() else ""


class StaffProfileInline(admin.StackedInline):
    model = StaffProfile
    form = StaffProfileForm
    can_delete = False
    extra = 1
    max_num = 1
    verbose_name_plural = _("staff profile")


admin.site.unregister(User)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [StaffProfileInline]
    list_display = ["username", "agent_id", "display_name", "roles", "is_active", "is_staff", "last_login"]
    list_filter = ["groups", "is_active", "is_staff", "is_superuser"]
    search_fields = ["username", "first_name", "last_name", "email", "profile__agent_id", "profile__display_name"]
    list_select_related = ["profile"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    def get_inline_instances(self, request, obj=None):
        # The add page only asks for username and password; the profile comes on the next page.
        return super().get_inline_instances(request, obj) if obj else []

    @admin.display(description=_("agent id (工号)"), ordering="profile__agent_id")
    def agent_id(self, obj):
        profile = getattr(obj, "profile", None)
        return profile.agent_id if profile else None

    @admin.display(description=_("display name"))
    def display_name(self, obj):
        profile = getattr(obj, "profile", None)
        return profile.display_name if profile else ""

    @admin.display(description=_("roles"))
    def roles(self, obj):
        return ", ".join(sorted(g.name for g in obj.groups.all()))


@admin.register(StaffProfile)
class StaffProfileAdmin(admin.ModelAdmin):
    form = StaffProfileForm
    list_display = ["agent_id", "display_name", "user", "phone"]
    search_fields = ["agent_id", "display_name", "user__username", "phone"]
    list_select_related = ["user"]

    def has_add_permission(self, request):
        return False  # profiles are added on the user's page


@admin.register(CustomerAccount)
class CustomerAccountAdmin(admin.ModelAdmin):
    list_display = ["user", "customer"]
    search_fields = ["user__username", "customer__name", "customer__company", "customer__phones__number"]
    autocomplete_fields = ["customer"]
    raw_id_fields = ["user"]
    list_select_related = ["user", "customer"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are issued with `manage.py issue_token` (the raw token is shown once); here they are named or revoked."""

    list_display = ["prefix", "user", "name", "created_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["prefix", "name", "user__username"]
    list_select_related = ["user"]
    fields = ["user", "prefix", "key_hash", "name", "created_at", "revoked_at"]
    readonly_fields = ["user", "prefix", "key_hash", "created_at"]

    def has_add_permission(self, request):
        return False
