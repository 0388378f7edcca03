"""Merging duplicate customers (合并客户): one customer per number, so the duplicates' orders, tickets, calls,
numbers, contacts and addresses move to one survivor and the duplicates go.

Every row that points at a customer is found from the model's reverse relations, hidden ones
(``related_name="+"``) included, so a table added later moves too. Written against the model class of the
survivor, it runs on the historical models of a data migration as well."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import IntegrityError, connection, models, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from freightdesk.core.errors import DomainError


@dataclass
class Merged:
    """What a merge did: the survivor, the ids of the customers deleted, rows moved per table."""

    survivor: models.Model
    deleted: list[int]
    moved: dict[str, int] = field(default_factory=dict)


def oldest(customers: Iterable[models.Model]) -> models.Model:
    """The customer who was there first: the survivor of a merge unless someone chooses another."""
    return min(customers, key=lambda c: (c.created_at, c.pk))


def merge_customers(*, survivor, duplicates: Iterable, now=None) -> Merged:
    """Move every row pointing at `duplicates` to `survivor` and delete the duplicates, in one transaction:
    all of it or nothing. The duplicates' names become the survivor's contacts; a number, contact or address
    both have is kept once (the latest use). Refused, with nothing written, when a row cannot move."""
    customer_model = type(survivor)
    duplicate_ids = sorted({d.pk for d in duplicates} - {survivor.pk})
    if not duplicate_ids:
        raise DomainError("merge_nothing", _("Choose at least two customers to merge."))
    now = now or timezone.now()
    with transaction.atomic():
        rows = _lock(customer_model, [survivor.pk, *duplicate_ids])
        if len(rows) != len(duplicate_ids) + 1:
            raise DomainError("merge_gone", _("One of these customers was deleted meanwhile: reload the list."))
        survivor, duplicates = rows[survivor.pk], [rows[pk] for pk in duplicate_ids]
        result = Merged(survivor=survivor, deleted=duplicate_ids)
        relations = _reverse_relations(customer_model)
        for duplicate_id in duplicate_ids:  # one at a time: two duplicates may share an address
            for relation in relations:
                label = relation.related_model._meta.label
                result.moved[label] = result.moved.get(label, 0) + _move(relation, survivor, duplicate_id)
        _keep_names(survivor, duplicates, now)
        _absorb(survivor, duplicates)
        customer_model.objects.filter(pk__in=duplicate_ids).delete()
    return result


def _lock(customer_model, pks: list[int]) -> dict:
    """The customers to merge, locked in id order (PostgreSQL; SQLite writes one at a time anyway)."""
    rows = customer_model.objects.filter(pk__in=pks).order_by("pk")
    if connection.features.has_select_for_update:
        rows = rows.select_for_update()
    return {row.pk: row for row in rows}


def _reverse_relations(customer_model) -> list:
    """Every foreign key, one-to-one and many-to-many pointing at the customer model, hidden ones too."""
    return [
        f
        for f in customer_model._meta.get_fields(include_hidden=True)
        if f.auto_created and not f.concrete and (f.one_to_many or f.one_to_one or f.many_to_many)
    ]


def _move(relation, survivor, duplicate_id: int) -> int:
    """Point this relation's rows of the duplicate at the survivor; the count of rows moved."""
    model = relation.through if relation.many_to_many else relation.related_model
    name = _m2m_column(relation, survivor) if relation.many_to_many else relation.field.name
    rows = model._base_manager.filter(**{name: duplicate_id})
    key = _book_key(model, name, type(survivor))
    if key is not None:
        _drop_rows_the_survivor_has(model, name, key, survivor, rows)
    try:
        return rows.update(**{name: survivor.pk})
    except IntegrityError as error:  # the transaction is rolled back as this leaves it
        raise DomainError(
            "merge_conflict",
            _("These customers cannot be merged: both have %(rows)s that can belong to one customer only.")
            % {"rows": model._meta.verbose_name_plural},
        ) from error


def _m2m_column(relation, survivor) -> str:
    """The through table's column that points at the customer."""
    through = relation.through._meta
    return next(f.name for f in through.fields if f.is_relation and f.related_model is type(survivor))


def _book_key(model, name: str, customer_model) -> str | None:
    """For the customers app's own books (numbers, contacts, addresses): the field unique per customer."""
    if model._meta.app_label != customer_model._meta.app_label:
        return None
    for constraint in model._meta.total_unique_constraints:
        rest = [f for f in constraint.fields if f != name]
        if name in constraint.fields and len(rest) == 1:
            return rest[0]
    return None


def _drop_rows_the_survivor_has(model, name: str, key: str, survivor, rows) -> None:
    """A number, contact or address that the survivor has too is kept once: his, stamped with the latest use."""
    has = set(model._base_manager.filter(**{name: survivor.pk}).values_list(key, flat=True))
    twins = rows.filter(**{f"{key}__in": has})
    stamped = "last_used_at" in {f.name for f in model._meta.concrete_fields}
    if stamped:
        for value, latest in twins.values_list(key).annotate(latest=Max("last_used_at")).order_by():
            model._base_manager.filter(**{name: survivor.pk, key: value, "last_used_at__lt": latest}).update(
                last_used_at=latest
            )
    twins.delete()


def _keep_names(survivor, duplicates: list, now) -> None:
    """The duplicates' own names (and the survivor's) are names used on the number: contacts of the survivor."""
    contacts = type(survivor)._meta.get_field("contacts").related_model
    for customer in [survivor, *duplicates]:
        used = customer.last_order_at or customer.created_at or now
        contact, created = contacts._base_manager.get_or_create(
            customer_id=survivor.pk, name=customer.name, defaults={"last_used_at": used}
        )
        if not created and contact.last_used_at < used:
            contacts._base_manager.filter(pk=contact.pk).update(last_used_at=used)


def _absorb(survivor, duplicates: list) -> None:
    """The survivor was first known when the first of them was, last ordered when the last of them did."""
    everyone = [survivor, *duplicates]
    survivor.created_at = min(c.created_at for c in everyone)
    orders = [c.last_order_at for c in everyone if c.last_order_at]
    survivor.last_order_at = max(orders) if orders else None
    survivor.company = survivor.company or next((c.company for c in duplicates if c.company), "")
    survivor.save(update_fields=["created_at", "last_order_at", "company"])
