"""The only URL fetcher WeasyPrint gets: `data:` URIs and files inside our letter-assets folder.

WeasyPrint's default fetcher opens http(s), ftp and file URLs and follows redirects (TECH-NOTES.md,
"WeasyPrint 70 (security)"). Every HTML, CSS and attachment object the letters create is given an
instance of this class instead; anything else raises, and WeasyPrint logs the refusal at ERROR on
the ``weasyprint`` logger and leaves the resource out.
"""

from __future__ import annotations

import mimetypes
import os
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher, URLFetcherResponse

from terminations.letters.fetcher_paths import ASSETS_DIR


class BlockedURLError(ValueError):
    """A letter tried to load something that is not ours."""


class LetterAssetFetcher(URLFetcher):
    """Allow-list fetcher: ``data:`` URIs, and regular files whose real path lies under
    ``ASSETS_DIR``. No network, no redirects, no other files."""

    def __init__(self, assets_dir: Path = ASSETS_DIR) -> None:
        super().__init__(timeout=1, allowed_protocols={"data", "file"}, allow_redirects=False)
        self.assets_dir = Path(os.path.realpath(assets_dir))

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":
            # urllib's DataHandler decodes it without touching the network or the disk.
            return super().fetch(url, headers)
        if scheme == "file":
            return self._fetch_asset(url)
        raise BlockedURLError(f"Letters may not load {url!r}: only data: URIs and letter assets.")

    def _fetch_asset(self, url: str) -> URLFetcherResponse:
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            raise BlockedURLError(f"Letters may not load {url!r}: remote file URL.")
        path = Path(os.path.realpath(unquote(parts.path)))
        if not path.is_relative_to(self.assets_dir) or not path.is_file():
            raise BlockedURLError(f"Letters may not load {url!r}: outside the letter assets.")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(
            path.as_uri(), path.read_bytes(), headers={"Content-Type": content_type}
        )

    def open(self, url, data=None, timeout=None):
        # Never let urllib's opener machinery (proxies, redirects) run for anything but our fetch.
        target = url.full_url if hasattr(url, "full_url") else url
        return self.fetch(target)
