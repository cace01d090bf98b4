"""The real Mermaid parser for the tests: a pinned, integrity-checked ``mermaid.min.js``.

The Mermaid output of ``needsmap model`` is checked by Mermaid itself
(``mermaid.parse`` in headless Chromium, see tests/draft/test_formats.py).
Mermaid is a JavaScript package, so it is not in the Python lock: ``./dev test``
runs ``python -m tests.mermaid_js``, which downloads the pinned version's tarball
from the npm registry (no npm needed), checks the tarball against the pinned sha512 integrity (the
registry's ``dist.integrity``) and keeps its self-contained ``dist/mermaid.min.js``
in the user's cache.  :func:`path` returns it, or None when it has not been
fetched (the test then skips, or fails when ``NEEDSMAP_REQUIRE_MERMAID=1``).
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import sys
import tarfile
import urllib.request
from pathlib import Path

VERSION = "11.12.1"
INTEGRITY = "sha512-UlIZrRariB11TY1RtTgUWp65tphtBv4CSq7vyS2ZZ2TgoMjs2nloq+wFqxiwcxlhHUvs7DPGgMjs2aeQxz5h9g=="
MEMBER = "package/dist/mermaid.min.js"


def cache_file() -> Path:
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "needsmap" / f"mermaid-{VERSION}.min.js"


def path() -> Path | None:
    target = cache_file()
    return target if target.is_file() else None


def fetch() -> Path:
    """Fetch, verify and unpack the pinned Mermaid (idempotent)."""
    target = cache_file()
    if target.is_file():
        return target
    registry = (
        os.environ.get("NPM_CONFIG_REGISTRY") or os.environ.get("npm_config_registry") or "https://registry.npmjs.org/"
    ).rstrip("/")
    url = f"{registry}/mermaid/-/mermaid-{VERSION}.tgz"
    try:
        with urllib.request.urlopen(
            url, timeout=120
        ) as response:  # a pinned https URL, checked against its integrity hash
            data = response.read()
    except OSError as exc:
        raise SystemExit(f"could not download {url}: {exc}") from exc
    digest = "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode("ascii")
    if digest != INTEGRITY:
        raise SystemExit(f"mermaid@{VERSION}: integrity mismatch ({digest} != {INTEGRITY})")
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        member = tar.extractfile(MEMBER)
        if member is None:
            raise SystemExit(f"mermaid@{VERSION}: {MEMBER} missing from the package")
        script = member.read()
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".partial")
    partial.write_bytes(script)
    partial.replace(target)
    return target


if __name__ == "__main__":
    print(fetch(), file=sys.stderr)
