"""Tracking's follow-ups move to the followups app (one table for every promised or scheduled contact), with their
ids, so the actions taken on them keep pointing at them; a promised callback's query becomes its subject. The
driver's link moves to dispatch, which issues it (its table is renamed by dispatch 0002)."""

from django.core.management.color import no_style
from django.db import migrations

COPIED = [
    "id", "kind", "state", "due_at", "deadline", "order_id", "created_at", "checked_at", "closed_at", "outcome",
    "closed_by_id", "note",
]


def copy_followups(apps, schema_editor):
    Old = apps.get_model("tracking", "FollowUp")
    New = apps.get_model("followups", "FollowUp")
    ContentType = apps.get_model("contenttypes", "ContentType")
    query_type = None
    batch = []
    for row in Old.objects.order_by("pk").values(*COPIED, "query_id").iterator(chunk_size=2000):
        query_id = row.pop("query_id")
        if query_id is not None and query_type is None:
            query_type, _created = ContentType.objects.get_or_create(app_label="tracking", model="query")
        if row["state"] == "done" and row["closed_at"] is None:
            row["closed_at"] = row["checked_at"] or row["created_at"]
        if row["state"] != "done":
            row["closed_at"] = None
        batch.append(New(**row, subject_type=query_type if query_id else None, subject_id=query_id))
        if len(batch) >= 2000:
            New.objects.bulk_create(batch)
            batch.clear()
    New.objects.bulk_create(batch)
    _reset_sequence(schema_editor, New)


def _reset_sequence(schema_editor, model):
    sql = schema_editor.connection.ops.sequence_reset_sql(no_style(), [model])
    with schema_editor.connection.cursor() as cursor:
        for statement in sql:
            cursor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("followups", "0001_initial"),
        ("tracking", "0002_due_indexes"),
    ]

    operations = [
        migrations.RunPython(copy_followups),  # one way: the old table is dropped next
        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel(name="DriverLink")]),
    ]
