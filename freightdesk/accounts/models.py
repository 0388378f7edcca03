import hashlib
import secrets

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

agent_id_validator = RegexValidator(r"^\d{4}$", _("An agent id is exactly 4 digits, e.g. 8011."))


class StaffProfile(models.Model):
    """A staff member's desk identity: the agent id (工号) that signs every SMS, and a phone."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    agent_id = models.CharField(
        _("agent id (工号)"), max_length=4, unique=True, null=True, blank=True, validators=[agent_id_validator]
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True, help_text=_("E.164, e.g. +8613800138000"))
    display_name = models.CharField(_("display name"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("staff profile")
        verbose_name_plural = _("staff profiles")

    def __str__(self):
        return f"{self.agent_id or '-'} {self.display_name or self.user.get_username()}"


class CustomerAccount(models.Model):
    """A customer login (a company that ships often): sees only its own customer's orders."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="customer_account")
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="accounts")

    class Meta:
        verbose_name = _("customer account")
        verbose_name_plural = _("customer accounts")

    def __str__(self):
        return f"{self.user.get_username()} → {self.customer}"

    @property
    def display_name(self) -> str:
        """What the top bar calls the account: its company (华东汽配有限公司), else the customer's name."""
        return self.customer.company or self.customer.name


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token for the API. Only its hash is stored; it carries its user's roles."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(_("prefix"), max_length=12)
    name = models.CharField(_("name"), max_length=80, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.prefix}… ({self.user})"

    @classmethod
    def issue(cls, user, name: str = "") -> tuple["ApiToken", str]:
        raw = "fd_" + secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, key_hash=hash_token(raw), prefix=raw[:10], name=name)
        return token, raw
