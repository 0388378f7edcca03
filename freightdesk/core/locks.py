"""Row locks taken in one order by every writer."""

from django.db import connection


def lock_in_id_order(model, pks) -> None:
    """Lock these rows (``SELECT … FOR UPDATE``) in id order before writing them. Two transactions that touch the
    same rows then queue for the first instead of each holding one the other needs (a deadlock); an UPDATE alone
    locks rows in the order its scan meets them. SQLite has one writer and no row locks: nothing to do."""
    if pks and connection.features.has_select_for_update:
        list(model.objects.select_for_update().filter(pk__in=pks).order_by("pk").values_list("pk"))
