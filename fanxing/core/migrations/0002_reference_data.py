from django.db import migrations

from fanxing.core.reference import load_defaults


def forwards(apps, schema_editor):
    load_defaults(apps)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
