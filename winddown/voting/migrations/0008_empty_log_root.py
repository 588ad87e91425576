"""Events counted with no ballot stored an empty Merkle root, where the verifier computes the
root of the empty log (RFC 6962: SHA-256 of the empty string): their bundle never matched
and they could not be published. Store the empty log's root for them."""

from django.db import migrations

EMPTY_ROOT = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"


def set_empty_roots(apps, schema_editor):
    VotingEvent = apps.get_model("voting", "VotingEvent")
    VotingEvent.objects.filter(merkle_size=0, merkle_root="").update(merkle_root=EMPTY_ROOT)


class Migration(migrations.Migration):
    dependencies = [("voting", "0007_ballots_refer_to_elector_of_event")]

    operations = [migrations.RunPython(set_empty_roots, migrations.RunPython.noop)]
