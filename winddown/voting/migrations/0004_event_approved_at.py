from django.db import migrations, models
from django.db.models import Q
from django.db.models.functions import Coalesce

APPROVED_ON = ("scheduled", "open", "closed", "counted", "published")


def approved_from_history(apps, schema_editor):
    """Approval cleared the review comment; returning an event requires one. So a cancelled
    event was approved if it opened, or if its last review left no comment."""
    VotingEvent = apps.get_model("voting", "VotingEvent")
    approved = Q(status__in=APPROVED_ON) | Q(status="cancelled", opened_at__isnull=False)
    approved |= Q(status="cancelled", reviewed_at__isnull=False, review_comment="")
    VotingEvent.objects.filter(approved).update(approved_at=Coalesce("reviewed_at", "opened_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("voting", "0003_ballot_foreign_keys_use_composite_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="votingevent",
            name="approved_at",
            field=models.DateTimeField(null=True),
        ),
        migrations.RunPython(approved_from_history, migrations.RunPython.noop),
    ]
