"""SHA-256 of an upload or of a stored file: what the desk records when a stored file is added or
replaced, so that the old and the new can be told apart and checked later (issue 15)."""

from __future__ import annotations

import hashlib

from django.core.files import File

CHUNK = 1024 * 1024


def sha256_of(upload: File) -> str:
    """The SHA-256 of an upload (or any open file), read in chunks; the position is restored."""
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks(CHUNK) if hasattr(upload, "chunks") else iter([upload.read()]):
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def stored_sha256(fieldfile) -> str:
    """The SHA-256 of a file already in storage, or "" when it cannot be read (missing object)."""
    if not fieldfile:
        return ""
    digest = hashlib.sha256()
    try:
        with fieldfile.storage.open(fieldfile.name, "rb") as stored:
            for chunk in iter(lambda: stored.read(CHUNK), b""):
                digest.update(chunk)
    except Exception:  # a missing object: OSError on a folder, botocore's ClientError in a bucket
        return ""
    return digest.hexdigest()
