"""Admin for master data (SPEC §1: admin edits regions, drivers, rate cards, prohibited goods)."""

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from freightdesk.accounts.roles import Role
from freightdesk.core.cleaning import CleanModelForm
from freightdesk.core.phones import display_phone, normalize_phone

from .models import DispatchMode, Driver, FeeRule, ProhibitedGoods, RateCard, Region, Vehicle


def split_terms(text: str) -> list[str]:
    """Comma (，、), or line separated terms, stripped, without duplicates, in their order."""
    for sep in ("，", "、", "\n", "\r"):
        text = text.replace(sep, ",")
    terms: list[str] = []
    for term in (t.strip() for t in text.split(",")):
        if term and term not in terms:
            terms.append(term)
    return terms


def in_group(user, group: str) -> bool:
    return user.groups.filter(name=group).exists()


class RegionForm(CleanModelForm):
    """Checks who receives the region's dispatch SMS (SPEC §6) before the region is saved.

    Errors: a developer or fleet manager who does not hold that role; a keyword another
    active region already uses (an address would resolve to either). Warnings (saved, shown
    after saving): a region whose dispatch mode has no one to send to.
    """

    class Meta:
        model = Region
        fields = ["code", "name", "keywords", "dispatch_mode", "driver", "developer", "fleet_manager", "active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.warnings: list[str] = []
        users = get_user_model().objects.order_by("username")
        for field, group in (("developer", Role.DEVELOPER), ("fleet_manager", Role.FLEET_MANAGER)):
            if field in self.fields:
                current = getattr(self.instance, f"{field}_id", None)
                self.fields[field].queryset = users.filter(Q(groups__name=group) | Q(pk=current)).distinct()
        if "driver" in self.fields:
            current = self.instance.driver_id
            self.fields["driver"].queryset = Driver.objects.filter(Q(active=True) | Q(pk=current))

    def clean_keywords(self):
        keywords = split_terms(self.cleaned_data.get("keywords", ""))
        others = Region.objects.filter(active=True).exclude(pk=self.instance.pk)
        taken = {kw: region for region in others for kw in region.keyword_list()}
        clashes = [f"“{kw}” ({taken[kw]})" for kw in keywords if kw in taken]
        if clashes:
            raise ValidationError(
                gettext(
                    "These keywords already belong to another region: %(clashes)s. An address must resolve to "
                    "one region."
                )
                % {"clashes": ", ".join(clashes)},
                code="keyword_taken",
            )
        return "\n".join(keywords)

    def clean(self):
        data = super().clean()
        developer, fleet_manager = data.get("developer"), data.get("fleet_manager")
        if developer and not in_group(developer, Role.DEVELOPER):
            self.add_error(
                "developer",
                gettext("%(user)s is not in the group “developer” (market developer).")
                % {"user": developer.get_username()},
            )
        if fleet_manager and not in_group(fleet_manager, Role.FLEET_MANAGER):
            self.add_error(
                "fleet_manager",
                gettext("%(user)s is not in the group “fleet_manager”.") % {"user": fleet_manager.get_username()},
            )
        self.warnings = self._dispatch_warnings(data)
        return data

    @staticmethod
    def _dispatch_warnings(data) -> list[str]:
        if not data.get("active", True):
            return []
        name = data.get("name") or "?"
        mode = data.get("dispatch_mode")
        warnings = []
        if mode == DispatchMode.DRIVER and not data.get("driver"):
            warnings.append(
                gettext(
                    "Region %(name)s dispatches to its driver but has no driver: its orders cannot be "
                    "sent by SMS until one is set."
                )
                % {"name": name}
            )
        if mode == DispatchMode.DRIVER and not data.get("developer"):
            warnings.append(
                gettext("Region %(name)s has no market developer: no one is copied on its dispatch SMS.")
                % {"name": name}
            )
        if mode == DispatchMode.FLEET_MANAGER and not data.get("fleet_manager"):
            warnings.append(
                gettext(
                    "Region %(name)s dispatches to its fleet manager but has none: its orders cannot "
                    "be sent by SMS until one is set."
                )
                % {"name": name}
            )
        return warnings


class WarningsOnSaveMixin:
    """Show the form's `warnings` after a successful save."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        for text in getattr(form, "warnings", []):
            messages.warning(request, text)


@admin.register(Region)
class RegionAdmin(WarningsOnSaveMixin, admin.ModelAdmin):
    form = RegionForm
    list_display = ["code", "name", "dispatch_mode", "driver", "developer", "fleet_manager", "keywords_short", "active"]
    list_display_links = ["code", "name"]
    list_filter = ["active", "dispatch_mode"]
    search_fields = ["code", "name", "keywords", "driver__name"]
    list_select_related = ["driver", "developer", "fleet_manager"]
    fieldsets = [
        (None, {"fields": ["code", "name", "keywords", "active"]}),
        (_("Dispatch"), {"fields": ["dispatch_mode", "driver", "developer", "fleet_manager"]}),
    ]

    @admin.display(description=_("address keywords"))
    def keywords_short(self, obj):
        words = obj.keyword_list()
        return "、".join(words[:5]) + ("…" if len(words) > 5 else "")


class DriverForm(CleanModelForm):
    class Meta:
        model = Driver
        fields = ["code", "name", "phone", "home_region", "user", "active"]

    def clean_phone(self):
        # normalize_phone's message names the value and says what a number needs.
        return normalize_phone(self.cleaned_data.get("phone", ""))

    def clean_user(self):
        user = self.cleaned_data.get("user")
        if user and not in_group(user, Role.DRIVER):
            raise ValidationError(
                gettext("%(user)s is not in the group “driver”.") % {"user": user.get_username()}, code="not_driver"
            )
        return user


class VehicleForm(CleanModelForm):
    class Meta:
        model = Vehicle
        fields = ["plate", "driver", "capacity_kg", "capacity_m3"]

    def clean_plate(self):
        return "".join(self.cleaned_data.get("plate", "").split()).upper()


class VehicleInline(admin.TabularInline):
    model = Vehicle
    form = VehicleForm
    extra = 0
    fields = ["plate", "capacity_kg", "capacity_m3"]


class PhoneSearchMixin:
    """A search term that is a phone number in any written form also finds rows by its E.164 form."""

    phone_search_fields: tuple[str, ...] = ()

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        try:
            number = normalize_phone(search_term)
        except ValidationError:
            return results, may_have_duplicates
        by_phone = Q()
        for field in self.phone_search_fields:
            by_phone |= Q(**{field: number})
        return results | queryset.filter(by_phone), True


@admin.register(Driver)
class DriverAdmin(PhoneSearchMixin, admin.ModelAdmin):
    form = DriverForm
    list_display = ["code", "name", "phone_display", "home_region", "vehicle_count", "user", "active"]
    list_filter = ["active", "home_region"]
    search_fields = ["code", "name", "phone", "vehicles__plate"]
    phone_search_fields = ("phone",)
    list_select_related = ["home_region", "user"]
    inlines = [VehicleInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_vehicles=Count("vehicles"))

    @admin.display(description=_("phone"), ordering="phone")
    def phone_display(self, obj):
        return display_phone(obj.phone)

    @admin.display(description=_("vehicles"), ordering="n_vehicles")
    def vehicle_count(self, obj):
        return obj.n_vehicles


@admin.register(Vehicle)
class VehicleAdmin(admin.ModelAdmin):
    form = VehicleForm
    list_display = ["plate", "driver", "region", "capacity_kg", "capacity_m3"]
    list_filter = ["driver__home_region"]
    search_fields = ["plate", "driver__name", "driver__phone"]
    list_select_related = ["driver__home_region"]

    @admin.display(description=_("region"), ordering="driver__home_region__name")
    def region(self, obj):
        return obj.driver.home_region if obj.driver else None


@admin.register(RateCard)
class RateCardAdmin(admin.ModelAdmin):
    list_display = ["__str__", "price_per_kg", "price_per_m3", "minimum_charge", "transit_hours"]
    list_editable = ["price_per_kg", "price_per_m3", "minimum_charge", "transit_hours"]
    list_filter = ["pickup_region", "delivery_region"]
    search_fields = ["pickup_region__name", "pickup_region__code", "delivery_region__name", "delivery_region__code"]
    list_select_related = ["pickup_region", "delivery_region"]
    ordering = ["pickup_region__code", "delivery_region__code"]


class FeeRuleForm(CleanModelForm):
    class Meta:
        model = FeeRule
        fields = ["kind", "name", "default_amount", "region", "address_keywords"]

    def clean_address_keywords(self):
        return ",".join(split_terms(self.cleaned_data.get("address_keywords", "")))


@admin.register(FeeRule)
class FeeRuleAdmin(admin.ModelAdmin):
    form = FeeRuleForm
    list_display = ["name", "kind", "default_amount", "region", "address_keywords"]
    list_filter = ["kind", "region"]
    search_fields = ["name", "address_keywords", "region__name"]
    list_select_related = ["region"]


class ProhibitedGoodsForm(CleanModelForm):
    class Meta:
        model = ProhibitedGoods
        fields = ["name", "category", "synonyms", "reason", "active"]

    def clean_synonyms(self):
        name = (self.cleaned_data.get("name") or "").strip()
        return ",".join(t for t in split_terms(self.cleaned_data.get("synonyms", "")) if t != name)


@admin.register(ProhibitedGoods)
class ProhibitedGoodsAdmin(admin.ModelAdmin):
    form = ProhibitedGoodsForm
    list_display = ["name", "category", "synonyms_short", "active"]
    list_editable = ["active"]
    list_filter = ["active", "category"]
    search_fields = ["name", "synonyms", "category", "reason"]
    list_per_page = 200

    @admin.display(description=_("synonyms"))
    def synonyms_short(self, obj):
        return obj.synonyms if len(obj.synonyms) <= 60 else obj.synonyms[:60] + "…"
