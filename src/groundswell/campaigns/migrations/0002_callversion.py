# Written for the translation workflow (issue 5): versions of the original call.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def first_versions(apps, schema_editor):
    """Every existing original becomes its campaign's first version. Earlier texts were not kept, so a
    translation already outdated shows no differences, only the original beside it."""
    CallTranslation = apps.get_model("campaigns", "CallTranslation")
    CallVersion = apps.get_model("campaigns", "CallVersion")
    CallVersion.objects.bulk_create(
        CallVersion(
            campaign_id=original.campaign_id,
            language=original.language,
            title=original.title,
            body=original.body,
            demands=original.demands,
            saved_at=original.source_updated_at or original.updated_at,
        )
        for original in CallTranslation.objects.filter(is_original=True).iterator()
    )


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="CallVersion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("language", models.CharField(max_length=10, verbose_name="language")),
                ("title", models.CharField(max_length=200, verbose_name="title")),
                ("body", models.TextField(max_length=50000, verbose_name="text (Markdown)")),
                ("demands", models.JSONField(blank=True, default=list, verbose_name="demands")),
                ("saved_at", models.DateTimeField(verbose_name="saved at")),
                (
                    "campaign",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="call_versions",
                        to="campaigns.campaign",
                    ),
                ),
                (
                    "saved_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "version of the call",
                "verbose_name_plural": "versions of the call",
                "ordering": ["campaign", "-saved_at"],
                "indexes": [models.Index(fields=["campaign", "saved_at"], name="callversion_campaign_saved")],
            },
        ),
        migrations.RunPython(first_versions, migrations.RunPython.noop),
    ]
