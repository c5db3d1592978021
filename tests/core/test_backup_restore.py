"""Backup and restore as README describes it: dump the database and the stored files, restore both
into an empty installation, and every letter's stored hash still verifies."""

import os
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]

ISSUE_A_LETTER = """
from django.contrib.auth.models import User
from terminations.models import Notice, TerminationCase
from terminations.services import notice_approve, notice_draft, notice_issue
manager = User.objects.get(username="manager")
case = TerminationCase.objects.filter(stage="notice").exclude(basis="").first()
kind = {"mutual": "mutual", "open_ended": "open_ended"}.get(case.basis, "termination")
notice = notice_draft(
    case=case, by=manager, kind=kind, language="bilingual",
    facts="备份测试：事实陈述。", facts_en="Backup test: the facts.",
)
if case.basis == "mutual" and not case.agreed_terms_en:
    TerminationCase.objects.filter(pk=case.pk).update(agreed_terms_en="The agreed terms.")
case.settlement_lines.filter(description_en="").update(description_en="A settlement line")
notice_approve(notice=notice, by=manager, confirm_agreed_cause=True)
notice_issue(notice=notice, by=manager)
print(Notice.objects.exclude(sha256="").count())
"""


def _manage(env: dict, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if check:
        assert result.returncode == 0, result.stdout + result.stderr
    return result


def _postgres_databases(names: list[str]) -> list[str]:
    import psycopg

    settings_dict = connection.settings_dict
    params = {
        "host": settings_dict["HOST"] or "127.0.0.1",
        "port": settings_dict["PORT"] or 5432,
        "user": settings_dict["USER"],
        "password": settings_dict["PASSWORD"] or None,
        "dbname": "postgres",
        "autocommit": True,
    }
    with psycopg.connect(**params) as conn:
        for name in names:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
    base = f"postgres://{params['user']}@{params['host']}:{params['port']}/"
    return [base + name for name in names]


@pytest.mark.django_db
def test_backup_and_restore_into_an_empty_installation(tmp_path):
    if connection.vendor == "postgresql":
        suffix = uuid.uuid4().hex[:8]
        source_db, target_db = _postgres_databases([f"backup_src_{suffix}", f"backup_dst_{suffix}"])
    else:
        source_db, target_db = (
            f"sqlite:///{tmp_path / 'source.sqlite3'}",
            f"sqlite:///{tmp_path / 'target.sqlite3'}",
        )
    base_env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    source = {**base_env, "DATABASE_URL": source_db, "MEDIA_ROOT": str(tmp_path / "media-source")}
    target = {**base_env, "DATABASE_URL": target_db, "MEDIA_ROOT": str(tmp_path / "media-target")}

    # An installation with demo data and an issued letter.
    _manage(source, "migrate", "--noinput", "-v", "0")
    _manage(source, "seed_demo")
    issued = int(
        _manage(source, "shell", "-v", "0", "-c", ISSUE_A_LETTER).stdout.strip().splitlines()[-1]
    )
    assert issued >= 1

    # Backup: the database as a JSON dump, the stored files as a tar archive.
    dump = tmp_path / "backup.json"
    _manage(
        source, "dumpdata", "--natural-foreign", "--natural-primary", *_EXCLUDES, "-o", str(dump)
    )
    archive = tmp_path / "media.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(source["MEDIA_ROOT"], arcname="media")

    # Restore into an empty installation.
    _manage(target, "migrate", "--noinput", "-v", "0")
    _manage(target, "loaddata", str(dump))
    with tarfile.open(archive) as tar:
        tar.extractall(tmp_path / "restore", filter="data")
    (tmp_path / "restore" / "media").rename(target["MEDIA_ROOT"])

    verified = _manage(target, "verify_letters")
    assert f"{issued} issued letters verified" in verified.stdout

    # An altered file is caught.
    letter = next(Path(target["MEDIA_ROOT"]).glob("letters/*/*.pdf"))
    letter.write_bytes(letter.read_bytes() + b"%tampered")
    failed = _manage(target, "verify_letters", check=False)
    assert failed.returncode != 0
    assert "does not match" in failed.stderr


_EXCLUDES = [
    "--exclude=contenttypes",
    "--exclude=auth.permission",
    "--exclude=sessions",
    "--exclude=admin.logentry",
    "--exclude=axes",
    "--exclude=django_tasks_database",
]
