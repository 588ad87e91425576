import django.db.models.deletion
from django.db import migrations, models

# Every ballot used to check a foreign key to its event's row at commit time. Such a check
# takes a share lock on the row it finds, and with thousands of lenders voting at once every
# ballot locked the same event row: PostgreSQL then records the lockers as multixacts and
# writes each lock to the WAL, the hot path's largest avoidable cost (bench_casting.py). A
# ballot now refers to (event, elector) as a pair, a key of its elector's row, which only
# that lender's ballots share; the database also gains a rule the old keys did not give: a
# ballot's event is its elector's event. SQLite, which cannot add such a key to a table,
# checks the same rule with triggers.

ELECTOR_EVENT_INDEX = "voting_elector_event_id_95c14b07"  # Django's index for Elector.event
PAIR_KEY = "ballot_elector_of_event_fk"
MISMATCH = "选票的活动与其选民所属的活动不一致"

POSTGRES = (
    f"ALTER TABLE voting_ballot ADD CONSTRAINT {PAIR_KEY} FOREIGN KEY (event_id, elector_id)"
    " REFERENCES voting_elector (event_id, id) DEFERRABLE INITIALLY DEFERRED",
    f"ALTER TABLE voting_ballot DROP CONSTRAINT {PAIR_KEY}",
)
SQLITE_CHECK = (
    " WHEN NOT EXISTS (SELECT 1 FROM voting_elector"
    " WHERE id = NEW.elector_id AND event_id = NEW.event_id)"
    f" BEGIN SELECT RAISE(ABORT, '{MISMATCH}'); END"
)
TRIGGERS = {
    "insert": "BEFORE INSERT ON voting_ballot",
    "update": "BEFORE UPDATE OF event_id, elector_id ON voting_ballot",
}
SQLITE = (
    [f"CREATE TRIGGER {PAIR_KEY}_{name} {when}{SQLITE_CHECK}" for name, when in TRIGGERS.items()],
    [f"DROP TRIGGER {PAIR_KEY}_{name}" for name in TRIGGERS],
)


def _run(statements_by_vendor: dict[str, list[str]]):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("voting", "0006_attachment_html"),
    ]

    operations = [
        # Elector.event's own index goes: elector_unique and the new pair key lead with it.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="elector",
                    name="event",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="electors",
                        to="voting.votingevent",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    f"DROP INDEX IF EXISTS {ELECTOR_EVENT_INDEX}",
                    f"CREATE INDEX {ELECTOR_EVENT_INDEX} ON voting_elector (event_id)",
                )
            ],
        ),
        migrations.AddConstraint(
            model_name="elector",
            constraint=models.UniqueConstraint(fields=("event", "id"), name="elector_of_event"),
        ),
        migrations.AlterField(
            model_name="ballot",
            name="event",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="ballots",
                to="voting.votingevent",
            ),
        ),
        migrations.RunPython(
            _run({"postgresql": [POSTGRES[0]], "sqlite": SQLITE[0]}),
            _run({"postgresql": [POSTGRES[1]], "sqlite": SQLITE[1]}),
        ),
    ]
