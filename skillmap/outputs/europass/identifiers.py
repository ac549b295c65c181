"""Record IRIs: the publisher's namespace, IRIs minted in it, and which IRIs and URLs an export may carry."""

from __future__ import annotations

import hashlib
import re
from urllib.parse import quote, urlsplit

from skillmap.errors import SkillmapError

SAFE_IRI = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")
HTTP_URL = re.compile(r"^https?://[^\s/?#<>\"{}|\\^`@]+(?:[/?#][^\s<>\"{}|\\^`]*)?$", re.IGNORECASE)


def check_base_uri(base_uri: str) -> str:
    """Return ``base_uri`` without a trailing slash, or raise :class:`SkillmapError` if it cannot mint IRIs."""
    text = (base_uri or "").strip()
    parts = urlsplit(text)
    if (
        parts.scheme not in ("http", "https")
        or not parts.netloc
        or parts.query
        or parts.fragment
        or not SAFE_IRI.match(text)
        or "@" in parts.netloc
    ):
        raise SkillmapError(
            f"{base_uri!r} is not a usable namespace: give an absolute http(s) IRI the publisher owns, "
            "without spaces, query or fragment (e.g. https://qualifications.example.org)",
            hint="base_uri",
        )
    return text.rstrip("/")


def mint_uri(base_uri: str, kind: str, *parts: str) -> str:
    """``<base>/<kind>/<part>/…`` with every part percent-encoded (only unreserved characters stay as they are)."""
    return "/".join([base_uri, kind, *(quote(part, safe="-._~") for part in parts)])


def short_hash(text: str) -> str:
    """A stable 12-hex-digit IRI part for ``text`` (SHA-1), where no code can name the thing."""
    return hashlib.sha1(text.encode()).hexdigest()[:12]
