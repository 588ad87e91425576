from django.db import migrations, models


def render_existing_pdfs(apps, schema_editor):
    """PDFs attached before page images existed get them now (so phones can show them)."""
    from winddown.core import private_files
    from winddown.core.errors import DomainError
    from winddown.voting.services.authoring import page_images_store

    EventAttachment = apps.get_model("voting", "EventAttachment")
    for attachment in EventAttachment.objects.filter(content_type="application/pdf"):
        try:
            with private_files.open_plain(attachment.path) as stream:
                images, count = page_images_store(stream.read())
        except (OSError, DomainError):
            continue  # missing or unreadable: the page offers the file itself
        attachment.page_images, attachment.page_count = images, count
        attachment.save(update_fields=["page_images", "page_count"])


class Migration(migrations.Migration):
    dependencies = [
        ("voting", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="eventattachment",
            name="page_count",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="eventattachment",
            name="page_images",
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.RunPython(render_existing_pdfs, migrations.RunPython.noop),
    ]
