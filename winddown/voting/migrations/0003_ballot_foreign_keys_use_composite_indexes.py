import django.db.models.deletion
from django.db import migrations, models

# The single-column indexes Django made for Ballot.event and Ballot.elector. They are dropped
# by name: AlterField(db_index=False) would also drop the partial unique index
# one_current_ballot on PostgreSQL (it looks for any index on the column).
INDEXES = {
    "voting_ballot_event_id_ad0c0f8b": "event_id",
    "voting_ballot_elector_id_960affaf": "elector_id",
}


class Migration(migrations.Migration):
    dependencies = [
        ("voting", "0002_attachment_page_images"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="ballot",
                    name="elector",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="ballots",
                        to="voting.elector",
                    ),
                ),
                migrations.AlterField(
                    model_name="ballot",
                    name="event",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="ballots",
                        to="voting.votingevent",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    f"DROP INDEX IF EXISTS {name}",
                    f"CREATE INDEX {name} ON voting_ballot ({column})",
                )
                for name, column in INDEXES.items()
            ],
        ),
    ]
