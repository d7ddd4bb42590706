"""The only way weasyprint may read a file while formflow renders: from the template's folder.

Every `HTML(...)` and `CSS(...)` formflow creates gets a `TemplateFetcher`, and weasyprint 70
threads the document's fetcher through everything else it loads (stylesheets, images, fonts,
`<link rel=attachment>`, `xmp_metadata`). The fetcher allows `file:` URLs whose *real* path
(symlinks resolved) is a regular file inside the template folder, and refuses everything else:

* http/https/ftp — a PDF for a clinician never needs the network; a request would leak that a
  declaration is being rendered, and could reach internal services (SSRF);
* `file:` outside the folder, by `..`, by a symlink or by a `//host/` — this is how
  `<img src="file:///etc/passwd">` or an attachment would copy a server file into a PDF;
* `data:` — the templates need none (their assets are files here), and a data URL would let any
  markup that ever slipped past escaping embed an arbitrary image, SVG or font for weasyprint's
  decoders to parse. Refusing costs nothing and removes that surface.

A refusal raises `RefusedURL` (a ValueError): weasyprint logs it and renders without the
resource. The fetcher never calls urllib: it reads the file itself, so no redirect, proxy or
handler can widen what it reaches.
"""

from __future__ import annotations

import mimetypes
import os
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit
from urllib.request import url2pathname

from weasyprint.urls import URLFetcher, URLFetcherResponse

MAX_ASSET_BYTES = 8 * 1024 * 1024


class RefusedURL(ValueError):
    """The URL is not a file of this template. The message names only the scheme: URLs are not
    personal data in formflow's templates, but a refusal message must stay safe to log if one
    ever were."""


class TemplateFetcher(URLFetcher):
    """Serves the regular files under `root` (resolved once) and nothing else."""

    def __init__(self, root: Path) -> None:
        super().__init__(allowed_protocols=("file",), allow_redirects=False, timeout=1)
        self.root = Path(root).resolve(strict=True)
        self.served = self.refused = 0  # counts, for tests

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        try:
            path = self._allowed(url)
            data = _read(path)
        except RefusedURL:
            self.refused += 1
            raise
        self.served += 1
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), data, {"Content-Type": mime})

    def _allowed(self, url: str) -> Path:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme != "file":
            raise RefusedURL(f"formflow renders without {scheme or 'relative'} URLs")
        if parts.netloc not in ("", "localhost") or parts.query:
            raise RefusedURL("formflow reads only local template files")
        raw = url2pathname(parts.path)
        if ".." in PurePosixPath(raw.replace(os.sep, "/")).parts:
            raise RefusedURL("formflow reads only files inside the template folder")
        try:
            real = Path(raw).resolve(strict=True)
        except (OSError, RuntimeError):
            raise RefusedURL("no such template file") from None
        if not real.is_relative_to(self.root) or not real.is_file():
            raise RefusedURL("formflow reads only files inside the template folder")
        return real


def _read(path: Path) -> bytes:
    """The file's bytes; O_NOFOLLOW so a symlink swapped in after the check is not followed."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(fd, "rb") as handle:
            data = handle.read(MAX_ASSET_BYTES + 1)
    except OSError:
        raise RefusedURL("the template file cannot be read") from None
    if len(data) > MAX_ASSET_BYTES:
        raise RefusedURL("the template file is too large")
    return data
