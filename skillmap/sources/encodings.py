"""Decoding the text files users bring: UTF-8/UTF-16 when they say so, else the 8-bit code page that fits.

Spreadsheet programs save "CSV" in the Windows code page of the computer's locale: cp1252 in Western Europe,
cp1250 in Czechia, Poland, Hungary, Slovakia, Slovenia, Croatia and Romania, cp1257 in the Baltic states, cp1251
in Bulgaria, cp1253 in Greece. Every 8-bit code page decodes any bytes, so the choice is made on the result:

1. the country's code page (``data/encodings/country_encodings.csv``) is preferred, then cp1252, then the others;
2. each decoding is scored on implausible text — C1 control characters, symbols inside words (``£ódŸ``), words
   mixing scripts (``Elektrikαψ``), and letters no single language writes together (``Elektrikáø``: á is Czech or
   Spanish, ø Danish), measured against the letters of each language (``data/encodings/letters.csv``) — in the
   lines holding a byte outside ASCII, the first MiB of them wherever they are in the file (ASCII reads alike in
   every code page, so it tells nothing);
3. the least implausible decoding wins, ties going to the preferred order.

A file of two encodings (UTF-8 lines pasted into a cp1250 file) would read as garbled text without any error:
:func:`utf8_inside` finds such text, so the readers can refuse the file naming the byte where it starts.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from functools import lru_cache

from skillmap.errors import SkillmapError
from skillmap.fileio import bundled_data_dir, read_data_rows

DEFAULT_CODE_PAGE = "cp1252"
CODE_PAGES: tuple[str, ...] = ("cp1252", "cp1250", "cp1257", "cp1251", "cp1253")
_SAMPLE_CHARS = 1_000_000  # scoring a megabyte of text is enough to tell code pages apart
_HIGH_BYTE = re.compile(rb"[\x80-\xff]")
# a "token" is a run of characters between spaces, ASCII punctuation and typographic punctuation, holding a non-ASCII
_SEPARATORS = r"\s\d.,;:!?()\[\]{}<>\"'/\\|=+*&%$#@^~`_\-–—“”„‚‹›«»…•‰€£¥§°±×÷©®™¡¿"
_TOKEN = re.compile(rf"[^{_SEPARATORS}]*[^\x00-\x7f{_SEPARATORS}][^{_SEPARATORS}]*")
_WORD_PUNCTUATION = set("’‘·\u00ad")  # may sit inside a word: apostrophes, the Catalan middle dot, a soft hyphen


@lru_cache(maxsize=1)
def _letters() -> dict[str, frozenset[str]]:
    rows = read_data_rows(bundled_data_dir() / "encodings" / "letters.csv")
    return {row["lang"]: frozenset(row["letters"] or "") for row in rows}


@lru_cache(maxsize=1)
def _country_code_pages() -> dict[str, str]:
    rows = read_data_rows(bundled_data_dir() / "encodings" / "country_encodings.csv")
    return {row["country"].upper(): row["encoding"] for row in rows}


def code_page_for(country: str | None) -> str:
    """The Windows code page spreadsheets of ``country`` (``CZ``, ``GB-ENG``…) are saved in: cp1250 for CZ."""
    if not country:
        return DEFAULT_CODE_PAGE
    return _country_code_pages().get(country.upper().split("-", 1)[0], DEFAULT_CODE_PAGE)


def _script(char: str) -> str:
    try:
        return unicodedata.name(char).split(" ", 1)[0]
    except ValueError:
        return "UNKNOWN"


def _scored_sample(raw: bytes) -> bytes:
    """The lines of ``raw`` that hold a non-ASCII byte, up to about ``_SAMPLE_CHARS`` bytes of them."""
    if len(raw) <= _SAMPLE_CHARS:
        return raw
    lines: list[bytes] = []
    size = position = 0
    while size < _SAMPLE_CHARS:
        found = _HIGH_BYTE.search(raw, position)
        if found is None:
            break
        cut = raw.rfind(b"\n", position, found.start())
        end = raw.find(b"\n", found.start())
        end = len(raw) if end < 0 else end + 1
        lines.append(raw[cut + 1 if cut >= 0 else position : end])
        size, position = size + len(lines[-1]), end
    return b"".join(lines)


@lru_cache(maxsize=8)
def _utf8_shape(code_page: str) -> re.Pattern[str]:
    """What a UTF-8 character looks like read in ``code_page``: the characters of a lead byte, then of 1–3
    continuation bytes (one regex, so text without such a sequence costs no Python per character)."""

    def of(low: int, high: int) -> str:
        chars = bytes(range(low, high + 1)).decode(code_page, errors="ignore")
        return f"[{re.escape(chars)}]" if chars else "(?!)"

    follow = of(0x80, 0xBF)
    return re.compile(f"{of(0xC2, 0xDF)}{follow}|{of(0xE0, 0xEF)}{follow}{{2}}|{of(0xF0, 0xF4)}{follow}{{3}}")


def _in_word(char: str) -> bool:
    return char.isalnum() or not char.isascii()


def utf8_inside(text: str, code_page: str) -> int | None:
    """Where ``text``, decoded with the single-byte ``code_page``, holds UTF-8 text instead: the offset (in
    characters, which are bytes in a code page) of the first word that reads as real text in UTF-8 and as garbled
    text in ``code_page`` (``ElektrikĂˇĹ™`` for ``Elektrikář``), or None. Words the code page writes with two
    accented letters in a row (Polish ``SZKÓŁ``) read worse in UTF-8 (``SZKӣ``) and are left alone."""
    judged: set[str] = set()  # words already found to be code page text (registers repeat their words)
    for run in _utf8_shape(code_page).finditer(text):
        start, end = run.start(), run.end()
        while start > max(0, run.start() - 40) and _in_word(text[start - 1]):
            start -= 1
        while end < min(len(text), run.end() + 40) and _in_word(text[end]):
            end += 1
        word = text[start:end]
        if word in judged:
            continue
        judged.add(word)
        try:
            character = run.group().encode(code_page).decode("utf-8")
            as_utf8 = word.encode(code_page).decode("utf-8")
        except UnicodeError:
            continue  # not UTF-8 after all (an overlong form), or another part of the word is not
        # real text in UTF-8, and in the code page garbled text or a symbol inside a word ("MaÃ§on" for "Maçon")
        score = implausibility(as_utf8)
        if score < implausibility(word) or (not score and character.isalpha() and not run.group().isalpha()):
            return run.start()
    return None


def implausibility(text: str) -> int:
    """How implausible ``text`` is as real text: 0 for text whose non-ASCII letters fit one language."""
    sample = text[:_SAMPLE_CHARS]
    score = sum(1 for ch in sample if 0x80 <= ord(ch) <= 0x9F)
    letters: set[str] = set()
    for token in set(_TOKEN.findall(sample)):
        scripts = set()
        for ch in token:
            if ch.isalpha():
                scripts.add(_script(ch))
                if ord(ch) > 0x7F:
                    letters.add(ch.lower())
            elif ord(ch) > 0x7F and ch not in _WORD_PUNCTUATION and len(token) > 1:
                score += 1  # a symbol glued to letters: "£ódŸ", "Kƒln"
        if len(scripts) > 1:
            score += 1
    if letters:
        score += min(len(letters - known) for known in _letters().values())
    return score


def decode_text(
    raw: bytes, display: str, *, encoding: str | None = None, country: str | None = None
) -> tuple[str, str, str]:
    """Decode a text file → (text, encoding used, a note for the user or "").

    ``encoding`` forces a codec (a wrong one raises :class:`SkillmapError`); else a byte-order mark, then UTF-8, then
    the code page that fits ``country`` and the text best (see the module docstring).
    """
    if encoding:
        try:
            name = codecs.lookup(encoding).name
        except LookupError:
            raise SkillmapError(
                f"unknown text encoding {encoding!r} (e.g. utf-8, cp1250, cp1252, latin-1)", hint="encoding"
            ) from None
        if name == "utf-8" and raw.startswith(codecs.BOM_UTF8):
            name = "utf-8-sig"
        try:
            return raw.decode(name), name, ""
        except UnicodeDecodeError as exc:
            raise SkillmapError(
                f"{display} is not valid {encoding} text (byte {exc.start:,}: {exc.reason}); give its real encoding",
                hint="encoding",
            ) from exc
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16"), "utf-16", ""
        except UnicodeDecodeError as exc:
            raise SkillmapError(
                f"{display} starts like UTF-16 text but does not decode as UTF-16: {exc.reason}"
            ) from exc
    if raw.startswith(codecs.BOM_UTF8):
        try:
            return raw.decode("utf-8-sig"), "utf-8-sig", ""
        except UnicodeDecodeError as exc:
            raise SkillmapError(f"{display} has a UTF-8 byte-order mark but is not valid UTF-8: {exc.reason}") from exc
    try:
        return raw.decode("utf-8"), "utf-8", ""
    except UnicodeDecodeError:
        pass
    preferred = code_page_for(country)
    order = [preferred, *(c for c in CODE_PAGES if c != preferred), "latin-1"]  # latin-1 decodes anything
    sample = _scored_sample(raw)
    best: tuple[int, int, str] | None = None
    for rank, code_page in enumerate(order):
        try:
            raw.decode(code_page)  # any byte this code page leaves undefined rules it out
        except UnicodeDecodeError:
            continue
        candidate = (implausibility(sample.decode(code_page)), rank, code_page)
        if best is None or candidate[:2] < best[:2]:
            best = candidate
        if candidate[0] == 0 and rank == 0:
            break  # the country's own code page reads as plain text: no need to look further
    assert best is not None  # latin-1 always decodes
    score, _rank, code_page = best
    text = raw.decode(code_page)
    why = f"its letters fit {code_page}" if code_page != preferred else f"{code_page} is usual there and fits"
    if country and code_page == preferred:
        why = f"{code_page} is usual for {country.upper()} and fits its letters"
    doubt = f" ({score} odd character(s) remain)" if score else ""
    return text, code_page, f"not UTF-8; read as {code_page}: {why}{doubt}; {_ASK}"


_ASK = "if the text looks wrong, give its encoding"
