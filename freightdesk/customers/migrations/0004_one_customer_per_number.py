"""Data: every customer's name becomes his first contact; customers sharing a number are merged into the
oldest of them (with everything that points at them), so that the number can be made unique."""

from django.db import migrations

from freightdesk.customers.merging import merge_customers, oldest


def _groups(pairs) -> list[set[int]]:
    """Customers joined by shared numbers, transitively (A and B share one number, B and C another)."""
    parent: dict[int, int] = {}

    def root(pk):
        while parent.setdefault(pk, pk) != pk:
            pk = parent[pk]
        return pk

    first_on: dict[str, int] = {}
    for number, customer_id in pairs:
        parent[root(customer_id)] = root(first_on.setdefault(number, customer_id))
    groups: dict[int, set[int]] = {}
    for pk in parent:
        groups.setdefault(root(pk), set()).add(pk)
    return [group for group in groups.values() if len(group) > 1]


def merge_by_number(apps, schema_editor):
    customers = apps.get_model("customers", "Customer")
    phones = apps.get_model("customers", "CustomerPhone")
    contacts = apps.get_model("customers", "Contact")
    contacts.objects.bulk_create(
        [
            contacts(customer_id=pk, name=name, last_used_at=last_order_at or created_at)
            for pk, name, last_order_at, created_at in customers.objects.values_list(
                "pk", "name", "last_order_at", "created_at"
            )
            if name
        ],
        ignore_conflicts=True,
    )
    for group in _groups(phones.objects.order_by("pk").values_list("number", "customer_id")):
        members = list(customers.objects.filter(pk__in=group))
        survivor = oldest(members)
        merge_customers(survivor=survivor, duplicates=[c for c in members if c.pk != survivor.pk])


class Migration(migrations.Migration):

    dependencies = [
        ('customers', '0003_contact'),
    ]

    operations = [
        migrations.RunPython(merge_by_number, migrations.RunPython.noop),
    ]
