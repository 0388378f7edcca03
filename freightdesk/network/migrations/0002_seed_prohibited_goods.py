"""Seed the prohibited-goods catalogue from 《禁止寄递物品指导目录》 (国家邮政局、公安部、国家安全部, 2016).

Each entry: name, synonyms (comma-separated) and a reason citing the catalogue's category.
Names and synonyms are chosen so that no ordinary freight goods name (配件, 家具, 服装, 电器,
食品, 弹簧, 咖啡…) is a substring of them or contains them: the intake matcher also checks
substrings both ways (network.selectors.match_prohibited; test_prohibited_catalogue.py).
Entries the admin has edited since are left alone; reversing removes only untouched seeds.
"""

from django.db import migrations

from freightdesk.network.seeds import seed_prohibited_goods, unseed_prohibited_goods


def seed(apps, schema_editor):
    seed_prohibited_goods(apps)


def unseed(apps, schema_editor):
    unseed_prohibited_goods(apps)


class Migration(migrations.Migration):
    dependencies = [("network", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
