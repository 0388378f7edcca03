"""The role groups every installation has (SPEC §1); the data migration and the test fixtures both call
``seed_role_groups`` with a model registry (the migration's historical apps, or ``django.apps.apps``)."""

ROLES = ["agent", "supervisor", "manager", "fleet_manager", "driver", "developer", "admin", "customer", "integration"]


def seed_role_groups(apps) -> None:
    Group = apps.get_model("auth", "Group")
    for name in ROLES:
        Group.objects.get_or_create(name=name)
