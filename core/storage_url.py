"""Where stored files live, as one URL: the `default` entry of STORAGES (from DJANGO_STORAGE_URL)
and the source or target of `copy_stored_files`.

- empty, or `file:///path` — the local file system (MEDIA_ROOT when no path is given);
- `s3://BUCKET[/PREFIX]?endpoint_url=…&region=…` — an S3-compatible bucket through django-storages
  (MinIO, Ceph RGW, Alibaba OSS or Tencent COS in S3 mode, AWS S3), with the keys in
  AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY or wherever else boto3 finds them.

Imported by the settings module: nothing here may import models.
"""

from __future__ import annotations

from importlib.util import find_spec
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

FILE_SYSTEM = "django.core.files.storage.FileSystemStorage"
S3 = "storages.backends.s3.S3Storage"

# Query options of an s3:// URL -> django-storages S3Storage options.
S3_QUERY_OPTIONS = {
    "endpoint_url": "endpoint_url",
    "region": "region_name",
    "addressing_style": "addressing_style",
    "signature_version": "signature_version",
    "verify": "verify",
}


def storage_from_url(url: str, *, setting: str = "storage URL") -> dict[str, object]:
    """A STORAGES entry ({"BACKEND": …, "OPTIONS": …}) for `url`; nonsense fails loudly."""
    url = url.strip()
    parts = urlsplit(url)
    if not url:
        return {"BACKEND": FILE_SYSTEM}
    if parts.scheme == "file":
        if parts.netloc not in ("", "localhost"):
            raise ImproperlyConfigured(f"{setting}: a file:// URL names a local folder only.")
        path = unquote(parts.path)
        return (
            {"BACKEND": FILE_SYSTEM, "OPTIONS": {"location": path}}
            if path
            else {"BACKEND": FILE_SYSTEM}
        )
    if parts.scheme != "s3":
        raise ImproperlyConfigured(
            f"{setting}: scheme {parts.scheme!r} is not one of 'file' or 's3'."
        )
    if not parts.hostname:
        raise ImproperlyConfigured(f"{setting} names no bucket (s3://BUCKET?…).")
    if parts.username or parts.password:
        raise ImproperlyConfigured(
            f"{setting} holds no keys: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY."
        )
    if not (find_spec("storages") and find_spec("boto3")):
        raise ImproperlyConfigured(f"{setting} names a bucket: install django-storages[s3].")
    options: dict[str, object] = {
        "bucket_name": parts.hostname,
        "location": unquote(parts.path).strip("/"),
        # A private bucket: no ACL that opens an object, and any URL the backend makes is signed
        # and short-lived (the desk itself hands none out: downloads go through its views).
        "default_acl": None,
        "querystring_auth": True,
        "querystring_expire": 300,
        # A stored file is never replaced by another of the same name.
        "file_overwrite": False,
        "signature_version": "s3v4",
    }
    for key, values in parse_qs(parts.query, keep_blank_values=True).items():
        if key not in S3_QUERY_OPTIONS:
            raise ImproperlyConfigured(
                f"{setting}: option {key!r} is not one of {sorted(S3_QUERY_OPTIONS)}."
            )
        value: object = values[-1]
        if key == "verify":
            value = value.lower() not in {"0", "false", "no", "off"}
        options[S3_QUERY_OPTIONS[key]] = value
    return {"BACKEND": S3, "OPTIONS": options}


def storage_for(url_or_folder: str):
    """A storage object for a URL as above or a plain folder path (for copy_stored_files)."""
    from django.utils.module_loading import import_string

    if url_or_folder and "://" not in url_or_folder:
        config: dict = {"BACKEND": FILE_SYSTEM, "OPTIONS": {"location": url_or_folder}}
    else:
        config = storage_from_url(url_or_folder)
    return import_string(config["BACKEND"])(**config.get("OPTIONS", {}))
