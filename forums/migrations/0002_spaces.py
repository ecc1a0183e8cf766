from django.db import migrations


def create_spaces(apps, schema_editor):
    Space = apps.get_model("forums", "Space")
    Space.objects.get_or_create(
        slug="public",
        defaults={"kind": "public", "name": "公共论坛", "name_en": "Public forum", "sort_order": 0},
    )
    Space.objects.get_or_create(
        slug="leadership",
        defaults={
            "kind": "leadership",
            "name": "领导论坛",
            "name_en": "Leadership forum",
            "sort_order": 1,
        },
    )


class Migration(migrations.Migration):
    dependencies = [("forums", "0001_initial")]

    operations = [migrations.RunPython(create_spaces, migrations.RunPython.noop)]
