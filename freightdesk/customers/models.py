"""Customers (SPEC §3): shippers and consignees, their numbers and their address book."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Customer(models.Model):
    """A shipper or consignee. A name may be just a surname and 先生/小姐 ("王先生")."""

    name = models.CharField(_("name"), max_length=40)
    company = models.CharField(_("company"), max_length=80, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    last_order_at = models.DateTimeField(_("last order at"), null=True, blank=True)

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        # The outbound call lists' rules (new customers of the last days, customers who have not ordered for a while)
        # read these in order, with a limit.
        indexes = [
            models.Index(fields=["created_at"], name="customer_created"),
            models.Index(fields=["last_order_at"], name="customer_last_order"),
        ]

    def __str__(self):
        return self.name


class CustomerPhone(models.Model):
    """One of a customer's numbers in E.164. A number belongs to one customer: the names people give on it
    ("王先生", "李小姐") are its contacts, not other customers."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="phones")
    number = models.CharField(_("number"), max_length=20, unique=True)

    class Meta:
        verbose_name = _("customer phone")
        verbose_name_plural = _("customer phones")

    def __str__(self):
        return self.number


class Contact(models.Model):
    """A name someone gave on one of the customer's numbers (联系人): "王先生", "李小姐"; most recent first."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=40)
    last_used_at = models.DateTimeField(_("last used at"), default=timezone.now)

    class Meta:
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")
        constraints = [models.UniqueConstraint(fields=["customer", "name"], name="uniq_customer_contact")]
        ordering = ["-last_used_at", "-id"]

    def __str__(self):
        return self.name


class Address(models.Model):
    """An address a customer has used, with its resolved region; newest first in the address book."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="addresses")
    text = models.CharField(_("address"), max_length=200)
    region = models.ForeignKey("network.Region", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    last_used_at = models.DateTimeField(_("last used at"), default=timezone.now)

    class Meta:
        verbose_name = _("address")
        verbose_name_plural = _("address book")
        constraints = [models.UniqueConstraint(fields=["customer", "text"], name="uniq_customer_address")]
        ordering = ["-last_used_at"]

    def __str__(self):
        return self.text
