"""Master data (SPEC §1 admin): regions, drivers, vehicles, rate cards, fee rules, prohibited goods."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class SnapshotMember(models.Model):
    """Rows every order reads: saving or deleting one refreshes this process's master-data snapshot."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        _refresh_snapshot()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        _refresh_snapshot()
        return result


def _refresh_snapshot():
    from . import cache

    cache.changed()


class DispatchMode(models.TextChoices):
    DRIVER = "driver", _("Driver, market developer in copy")
    FLEET_MANAGER = "fleet_manager", _("Fleet manager assigns a vehicle")


class Region(SnapshotMember):
    """A pickup / delivery region (片区) with its dispatch recipients (SPEC §6)."""

    code = models.SlugField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=40)
    keywords = models.TextField(
        _("address keywords"),
        blank=True,
        help_text=_("One per line or comma-separated; an address containing one resolves to this region."),
    )
    dispatch_mode = models.CharField(
        _("dispatch mode"), max_length=20, choices=DispatchMode.choices, default=DispatchMode.DRIVER
    )
    driver = models.ForeignKey(
        "Driver", verbose_name=_("region driver"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    developer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("market developer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="developer_regions",
    )
    fleet_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("fleet manager"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="fleet_regions",
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]

    def __str__(self):
        return self.name

    def keyword_list(self) -> list[str]:
        return [k.strip() for k in self.keywords.replace("，", ",").replace("\n", ",").split(",") if k.strip()]


def driver_code(pk: int) -> str:
    """The code a driver gets when none is given: D and his id, four digits at least (D0007)."""
    return f"D{pk:04d}"


class Driver(models.Model):
    """A driver (司机); may have a login for the mobile pages. ``code`` names him in the API and on the fleet
    manager's assignment page (given by the admin, else ``driver_code`` of his id)."""

    code = models.SlugField(_("code"), max_length=20, unique=True, null=True, blank=True)
    name = models.CharField(_("name"), max_length=40)
    phone = models.CharField(_("phone"), max_length=20, help_text=_("E.164, e.g. +8613800138000"))
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="driver"
    )
    home_region = models.ForeignKey(
        Region, verbose_name=_("home region"), null=True, blank=True, on_delete=models.SET_NULL, related_name="drivers"
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("driver")
        verbose_name_plural = _("drivers")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.phone})"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        if not self.code:
            self.code = driver_code(self.pk)
            Driver.objects.filter(pk=self.pk).update(code=self.code)


class Vehicle(models.Model):
    plate = models.CharField(
        _("plate"), max_length=12, unique=True, validators=[RegexValidator(r"^\S{5,12}$", _("Enter a plate number."))]
    )
    driver = models.ForeignKey(
        Driver, verbose_name=_("driver"), null=True, blank=True, on_delete=models.SET_NULL, related_name="vehicles"
    )
    capacity_kg = models.PositiveIntegerField(_("capacity (kg)"), default=0)
    capacity_m3 = models.DecimalField(_("capacity (m³)"), max_digits=6, decimal_places=2, default=Decimal("0"))

    class Meta:
        verbose_name = _("vehicle")
        verbose_name_plural = _("vehicles")

    def __str__(self):
        return self.plate


class RateCard(SnapshotMember):
    """Freight price from a pickup region to a delivery region: by weight, by volume, with a minimum."""

    pickup_region = models.ForeignKey(
        Region, verbose_name=_("pickup region"), on_delete=models.CASCADE, related_name="+"
    )
    delivery_region = models.ForeignKey(
        Region, verbose_name=_("delivery region"), on_delete=models.CASCADE, related_name="+"
    )
    price_per_kg = models.DecimalField(
        _("price per kg"), max_digits=8, decimal_places=2, validators=[MinValueValidator(0)]
    )
    price_per_m3 = models.DecimalField(
        _("price per m³"), max_digits=8, decimal_places=2, validators=[MinValueValidator(0)]
    )
    minimum_charge = models.DecimalField(
        _("minimum charge"), max_digits=8, decimal_places=2, validators=[MinValueValidator(0)]
    )
    transit_hours = models.PositiveIntegerField(_("standard transit time (hours)"), default=24)

    class Meta:
        verbose_name = _("rate card")
        verbose_name_plural = _("rate cards")
        constraints = [models.UniqueConstraint(fields=["pickup_region", "delivery_region"], name="uniq_rate_route")]

    def __str__(self):
        return f"{self.pickup_region} → {self.delivery_region}"


class FeeKind(models.TextChoices):
    LOADING = "loading", _("Loading/unloading fee")  # 装卸费
    PICKUP = "pickup", _("Pickup fee")  # 提货费
    DELIVERY = "delivery", _("Delivery fee")  # 送货费
    OTHER = "other", _("Other fee")


class FeeRule(models.Model):
    """An extra charge the agent should consider (SPEC §3/§5: does the address need a loading fee?)."""

    kind = models.CharField(_("kind"), max_length=20, choices=FeeKind.choices)
    name = models.CharField(_("name"), max_length=40)
    default_amount = models.DecimalField(
        _("default amount"), max_digits=8, decimal_places=2, validators=[MinValueValidator(0)]
    )
    region = models.ForeignKey(
        Region, verbose_name=_("region"), null=True, blank=True, on_delete=models.CASCADE, related_name="fee_rules"
    )
    address_keywords = models.CharField(
        _("address keywords"),
        max_length=200,
        blank=True,
        help_text=_("Comma-separated; suggest when an address matches."),
    )

    class Meta:
        verbose_name = _("fee rule")
        verbose_name_plural = _("fee rules")

    def __str__(self):
        return f"{self.name} {self.default_amount}"


class ProhibitedGoods(SnapshotMember):
    """An entry of the prohibited-goods catalogue (禁止寄递物品指导目录): refused at intake."""

    name = models.CharField(_("name"), max_length=40, unique=True)
    category = models.CharField(_("category"), max_length=60)
    synonyms = models.TextField(_("synonyms"), blank=True, help_text=_("Comma-separated other names."))
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    exceptions = models.TextField(
        _("ordinary goods that only look alike"),
        blank=True,
        help_text=_("Comma-separated goods names that contain a term but are allowed, e.g. 手枪钻 (a power drill)."),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("prohibited goods")
        verbose_name_plural = _("prohibited goods")
        ordering = ["category", "name"]

    def __str__(self):
        return f"{self.category}: {self.name}"

    def terms(self) -> list[str]:
        extra = [s.strip() for s in self.synonyms.replace("，", ",").replace("、", ",").split(",") if s.strip()]
        return [self.name, *extra]

    def exception_list(self) -> list[str]:
        return [s.strip() for s in self.exceptions.replace("，", ",").replace("、", ",").split(",") if s.strip()]


class RestrictedGoods(SnapshotMember):
    """Goods that may be shipped only after the agent checked them with the caller (限寄物品: batteries, power
    banks, perfume…): what to confirm (packaging, quantity) is asked at intake and the answer kept on the order."""

    name = models.CharField(_("name"), max_length=40, unique=True)
    synonyms = models.TextField(_("synonyms"), blank=True, help_text=_("Comma-separated other names."))
    confirm = models.CharField(
        _("what to confirm with the caller"),
        max_length=200,
        help_text=_("E.g. packaging (terminals insulated, in the device or loose) and quantity."),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("restricted goods")
        verbose_name_plural = _("restricted goods")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def terms(self) -> list[str]:
        extra = [s.strip() for s in self.synonyms.replace("，", ",").replace("、", ",").split(",") if s.strip()]
        return [self.name, *extra]
