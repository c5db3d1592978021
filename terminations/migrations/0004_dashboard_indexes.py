"""Indexes for the dashboard's reads and the case list's default order (measured with
`bench_pages` on 20,000 cases; see terminations/dashboard.py).

Plain SQL (the same on SQLite and PostgreSQL) rather than `Meta.indexes`, so that the model
definitions, owned by the workflow part, stay untouched; the indexes are an access-path detail
the ORM never needs to know about, and `makemigrations` sees no change.
"""

from django.db import migrations

INDEXES = {
    # Open cases grouped by stage, reason and partner, with end-date counts: index-only.
    "case_dash_counts_idx": (
        "terminations_terminationcase",
        "stage, reason_category, partner_id, end_date",
    ),
    # The case list's and the admin's default order (-opened_at, -id): an ordered scan that
    # stops after one page instead of sorting every open case (PostgreSQL needs the id in it).
    "case_opened_id_idx": ("terminations_terminationcase", "opened_at, id"),
    # Stage-change events inside the medians' 90-day window: index-only range scan.
    "event_time_stage_idx": (
        "terminations_caseevent",
        "created_at, case_id, from_stage, to_stage",
    ),
    # A case's last stage change before a given time: index-only seek.
    "event_case_stage_idx": (
        "terminations_caseevent",
        "case_id, created_at, to_stage, from_stage",
    ),
    # Open handover items past their due date.
    "handover_status_due_idx": ("terminations_handoveritem", "status, due_date, case_id"),
}


class Migration(migrations.Migration):
    dependencies = [
        ("terminations", "0003_reminders"),
    ]

    operations = [
        migrations.RunSQL(
            sql=f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({columns})",
            reverse_sql=f"DROP INDEX IF EXISTS {name}",
        )
        for name, (table, columns) in INDEXES.items()
    ]
