"""Each stage change stores the days the case spent in the stage it left (`stay_days`), so that
the dashboard's medians read one indexed column instead of pairing events on every view.

Existing histories are filled in here, case by case, exactly as the model now computes it: from
the previous stage change (an event with a `to_stage`), else the case's opening.
"""

from django.db import migrations, models

BATCH = 2000


def fill_stay_days(apps, schema_editor):
    CaseEvent = apps.get_model("terminations", "CaseEvent")
    TerminationCase = apps.get_model("terminations", "TerminationCase")
    opened = dict(TerminationCase.objects.values_list("pk", "opened_at"))
    changes = (
        CaseEvent.objects.exclude(to_stage="")
        .order_by("case_id", "created_at", "pk")
        .values_list("pk", "case_id", "from_stage", "created_at")
    )
    current_case, previous, pending = None, None, []
    for pk, case_id, from_stage, created_at in changes.iterator(chunk_size=BATCH):
        if case_id != current_case:
            current_case, previous = case_id, opened.get(case_id)
        if from_stage and previous is not None:
            days = max((created_at - previous).total_seconds(), 0.0) / 86400
            pending.append(CaseEvent(pk=pk, stay_days=days))
        previous = created_at
        if len(pending) >= BATCH:
            CaseEvent.objects.bulk_update(pending, ["stay_days"])
            pending = []
    if pending:
        CaseEvent.objects.bulk_update(pending, ["stay_days"])


class Migration(migrations.Migration):
    dependencies = [
        ("terminations", "0004_dashboard_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="caseevent",
            name="stay_days",
            field=models.FloatField(
                blank=True, null=True, verbose_name="days in the previous stage"
            ),
        ),
        migrations.RunPython(fill_stay_days, migrations.RunPython.noop),
        # The medians' read: stage changes in the 90-day window, index-only.
        migrations.RunSQL(
            sql="CREATE INDEX IF NOT EXISTS event_time_stay_idx ON terminations_caseevent "
            "(created_at, from_stage, stay_days, case_id)",
            reverse_sql="DROP INDEX IF EXISTS event_time_stay_idx",
        ),
    ]
