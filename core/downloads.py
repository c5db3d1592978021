"""Every stored file leaves the desk through a view, and every such view answers through here.

- `stored_file_response` sends a stored file (any storage: the local folder or an S3 bucket) as a
  download after the view's own role check; with the local file system it can hand the sending to
  the web server instead (`DOWNLOAD_SENDFILE`: nginx's X-Accel-Redirect or Apache's X-Sendfile).
- `as_download` gives a generated file (a bundle, an export) the same headers.
- `DownloadFileField` / `DownloadImageField` name the route that downloads them, so `.url` (in a
  template, a form's "currently" link, the admin) is that route and never a storage address:
  MEDIA_ROOT and the bucket are never served directly (issue 15, F10).
"""

from __future__ import annotations

import mimetypes
import re
import unicodedata
from collections.abc import Callable
from pathlib import PurePosixPath
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models.fields.files import FieldFile, ImageFieldFile
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBase
from django.urls import reverse
from django.utils.http import content_disposition_header

CACHE_CONTROL = "private, no-store"
# Types a browser would run or render as a page are sent as plain bytes; `attachment` and
# `nosniff` already keep them from being rendered, this keeps them from being typed as markup.
ACTIVE_TYPES = ("text/html", "image/svg", "application/xhtml", "text/xml", "application/xml")
MAX_FILENAME = 120

# --- headers ---------------------------------------------------------------------------------


def safe_filename(name: str, default: str = "file") -> str:
    """The last part of a stored name, without control characters, quotes, slashes or a leading
    dot, at most MAX_FILENAME characters with its extension kept."""
    base = PurePosixPath(str(name).replace("\\", "/")).name
    base = "".join(
        ch for ch in unicodedata.normalize("NFC", base) if unicodedata.category(ch)[0] != "C"
    )
    base = re.sub(r'["<>:|?*;]+', "_", base).strip(" .")
    if not base:
        return default
    if len(base) > MAX_FILENAME:
        stem, dot, ext = base.rpartition(".")
        ext = ext[:16] if dot else ""
        base = (stem if dot else base)[: MAX_FILENAME - len(ext) - 1].rstrip(" .") + (
            f".{ext}" if ext else ""
        )
    return base


def content_type_for(filename: str) -> str:
    guessed = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    return "application/octet-stream" if guessed.startswith(ACTIVE_TYPES) else guessed


def as_download(response: HttpResponseBase, filename: str) -> HttpResponseBase:
    """The headers every download carries: always saved, never sniffed, never kept in a cache."""
    response["Content-Disposition"] = content_disposition_header(True, safe_filename(filename))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = CACHE_CONTROL
    return response


def bytes_download(data: bytes, *, filename: str, content_type: str) -> HttpResponse:
    return as_download(HttpResponse(data, content_type=content_type), filename)


# --- stored files ----------------------------------------------------------------------------


def _storage_errors() -> tuple[type[BaseException], ...]:
    errors: tuple[type[BaseException], ...] = (OSError, ValueError)
    try:
        from botocore.exceptions import BotoCoreError, ClientError
    except ImportError:  # the S3 backend is not installed: only the local file system
        return errors
    return (*errors, BotoCoreError, ClientError)


def _sendfile(fieldfile: FieldFile, filename: str, content_type: str) -> HttpResponse | None:
    """An empty response that tells the web server which file to send, or None to stream it."""
    mode = getattr(settings, "DOWNLOAD_SENDFILE", "")
    storage = fieldfile.storage
    if not mode or not isinstance(storage, FileSystemStorage):
        return None
    try:
        if not storage.exists(fieldfile.name):
            raise Http404
        path = storage.path(fieldfile.name)  # refuses a name outside MEDIA_ROOT
    except _storage_errors():
        raise Http404 from None
    response = HttpResponse(content_type=content_type)
    if mode == "x-accel-redirect":
        prefix = settings.DOWNLOAD_ACCEL_PREFIX.rstrip("/") + "/"
        response["X-Accel-Redirect"] = prefix + quote(fieldfile.name)
    else:
        if not path.isascii():  # Apache reads the header as bytes: let Django send it instead
            return None
        response["X-Sendfile"] = path
    return as_download(response, filename)  # type: ignore[return-value]


def stored_file_response(fieldfile: FieldFile, *, filename: str | None = None) -> HttpResponse:
    """The stored bytes of `fieldfile` as a download, for a view that has checked the role and
    the object. An empty field or a file missing from storage is a 404, never a 500."""
    if not fieldfile:
        raise Http404
    filename = safe_filename(filename or fieldfile.name)
    content_type = content_type_for(filename)
    offloaded = _sendfile(fieldfile, filename, content_type)
    if offloaded is not None:
        return offloaded
    try:
        handle = fieldfile.storage.open(fieldfile.name, "rb")
    except _storage_errors():
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=filename)
    response["Content-Type"] = content_type
    return as_download(response, filename)  # type: ignore[return-value]


# --- model fields that know their download route ---------------------------------------------


def _by_pk(instance: models.Model) -> dict[str, object]:
    return {"pk": instance.pk}


class _DownloadURLMixin:
    """`.url` is the download view's address for this row, never the storage's."""

    instance: models.Model
    field: models.FileField

    @property
    def url(self) -> str:
        self._require_file()  # type: ignore[attr-defined]
        if self.instance.pk is None:
            return ""
        field = self.field
        return reverse(field.download_route, kwargs=field.download_kwargs(self.instance))  # type: ignore[attr-defined]


class DownloadFieldFile(_DownloadURLMixin, FieldFile):
    pass


class DownloadImageFieldFile(_DownloadURLMixin, ImageFieldFile):
    pass


class _DownloadFieldMixin:
    """`download_route`: the URL name of the view that sends this field's file;
    `download_kwargs`: the route's arguments for a row (its primary key by default).

    Migrations see a plain FileField/ImageField: the route is code, not schema (so `clone()`,
    which rebuilds a field from `deconstruct()`, carries the route over by hand)."""

    plain_path = "django.db.models.FileField"

    def __init__(
        self,
        *args,
        download_route: str = "",
        download_kwargs: Callable[[models.Model], dict[str, object]] = _by_pk,
        **kwargs,
    ) -> None:
        self.download_route = download_route
        self.download_kwargs = download_kwargs
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()  # type: ignore[misc]
        return name, self.plain_path, args, kwargs

    def clone(self):
        field = super().clone()  # type: ignore[misc]
        field.download_route, field.download_kwargs = self.download_route, self.download_kwargs
        return field


class DownloadFileField(_DownloadFieldMixin, models.FileField):
    attr_class = DownloadFieldFile


class DownloadImageField(_DownloadFieldMixin, models.ImageField):
    attr_class = DownloadImageFieldFile
    plain_path = "django.db.models.ImageField"
