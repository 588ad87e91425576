"""Seed the confirmed years 2004–2026 from winddown.calendar.seed (the holidays package, with
each year's notice of the General Office of the State Council). 2027 and later stay absent,
hence unconfirmed, until an administrator enters them."""

from django.db import migrations

from winddown.calendar.seed import SEED_FIRST_YEAR, SEED_LAST_YEAR
from winddown.workdays.seeding import seed_years


def forwards(apps, schema_editor):
    seed_years(apps.get_model("workdays", "WorkYear"))


def backwards(apps, schema_editor):
    apps.get_model("workdays", "WorkYear").objects.filter(
        year__range=(SEED_FIRST_YEAR, SEED_LAST_YEAR)
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("workdays", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
