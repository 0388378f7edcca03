from django.db import migrations

# Ordinary goods whose names contain a catalogue term (found by the catalogue tests).
EXCEPTIONS = {
    "手枪": "手枪钻",
    "气枪": "吹气枪,气枪钉,打气枪",
    "象牙": "象牙白,象牙色",
}


def seed(apps, schema_editor):
    ProhibitedGoods = apps.get_model("network", "ProhibitedGoods")
    for name, exceptions in EXCEPTIONS.items():
        ProhibitedGoods.objects.filter(name=name, exceptions="").update(exceptions=exceptions)


class Migration(migrations.Migration):
    dependencies = [("network", "0003_prohibited_exceptions")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
