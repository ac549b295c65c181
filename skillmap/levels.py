"""Level resolution: what a level string found in a register means, in its national framework and in the EQF.

:func:`resolve_level` is a pure function of the framework data and a string. It never guesses: a string that
fits several levels with different EQF levels is ``ambiguous`` (with the candidates), a level the framework did
not reference is ``not_referenced``, a string that fits nothing is ``unknown`` and an empty one ``missing``.
Every answer carries a one-line reason that names its source.

How a string is read (``"DQR-Niveau 4"``, ``"SCQF level 7"``, ``"NIV5"``, ``"Entry Level 3"``, ``"EQF 5"``):

1. Unicode NFKC (full-width digits become ASCII), case folding, stray whitespace collapsed.
2. An EQF mention (``EQF 5``, ``EQR 5``, ``CEC 5``) is read as an EQF level; alone it is the answer, next to a
   national level it must agree with it.
3. Framework notations are looked for (``RQF``, ``QCF``, ``FHEQ``, ``SCQF``, ``DQR``, ``RNCP`` …). One of the country's
   own frameworks narrows the search to it; a notation of another country's framework only is reported.
4. Level words in any EU language (``Level``, ``Niveau``, ``NIV``, ``Stufe``, ``L``) are dropped; what remains is the
   level key (``4``, ``entry3``, ``5.1``, ``4a``, ``iv``, ``1/2``).
5. The key is matched against every level of the candidate frameworks (exactly, then as the parent of
   sub-levels, then with roman and arabic numerals swapped — saying so in the reason).

Roman numerals are read as written first: in France ``Niveau IV`` is the pre-2019 nomenclature and ``Niveau 4``
the 2019 framework.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from skillmap.model import Framework, FrameworkLevel, LevelResolution
from skillmap.sources.frameworks import FrameworkRegistry

__all__ = ["compare_frameworks", "level_key", "resolve_level", "resolve_levels"]

MAX_LEVEL_CHARS = 200  # the longest level string in our data and the registers is under 60 characters
_ROMAN_VALUES = {"i": 1, "v": 5, "x": 10}
_ROMAN = re.compile(r"^(x{0,3})(ix|iv|v?i{0,3})$")
_DASHES = dict.fromkeys(map(ord, "‐‑‒–—―−_"), "-")


def _roman_to_int(text: str) -> int | None:
    if not text or not _ROMAN.match(text):
        return None
    total, previous = 0, 0
    for char in reversed(text):
        value = _ROMAN_VALUES[char]
        total = total - value if value < previous else total + value
        previous = max(previous, value)
    return total or None


def _int_to_roman(number: int) -> str:
    result = ""
    for value, numeral in ((10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while number >= value:
            result, number = result + numeral, number - value
    return result


def _clean(text: str) -> str:
    """NFKC, unified dashes, case-folded, single spaces."""
    text = unicodedata.normalize("NFKC", text or "").translate(_DASHES)
    return re.sub(r"\s+", " ", text).strip().casefold()


def _compact(text: str) -> str:
    """Collapse a cleaned level text into a key: `v-a` → `va`, `5 1` → `5/1`, `i (master)` → `imaster`, `07` → `7`."""
    text = re.sub(r"(?<![\d.])0+(?=\d)", "", text)  # "Level 05" is level 5, never the roman V of another framework
    text = re.sub(r"[()\[\]'\"]", " ", text)
    text = re.sub(r"(?<=\d)\s*[-,&/]\s*(?=\d)", "/", text)
    text = re.sub(r"(?<=\d)\s+(?=\d)", "/", text)
    text = re.sub(r"[\s\-:,;]+", "", text)
    return text.strip("./")


def _word_pattern(words: Sequence[str]) -> re.Pattern[str] | None:
    """Whole-word pattern for words; a word may touch a following digit (`niv5`, `l3`, `dqr4`)."""
    return _compiled_word_pattern(tuple(sorted(set(words))))


@lru_cache(maxsize=4096)  # a pure memo of compiled patterns: same words, same pattern
def _compiled_word_pattern(words: tuple[str, ...]) -> re.Pattern[str] | None:
    if not words:
        return None
    alternatives = "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))
    return re.compile(rf"(?<![^\W\d_])(?:{alternatives})(?![^\W\d_])")


def level_key(text: str, registry: FrameworkRegistry, notations: Sequence[str] = ()) -> str:
    """The comparable key of a level as written in our data or in a register.

    `"SCQF 7"` → `7`, `"Entry 1"` → `entry1`, `"Niveau IV"` → `iv`.
    """
    cleaned = _clean(text)
    for pattern in (_word_pattern([_clean(n) for n in notations]), _word_pattern(registry.words["level"])):
        if pattern is not None:
            cleaned = pattern.sub(" ", cleaned)
    cleaned = re.sub(r"^(?:e|entry)\s*-?\s*(\d)$", r"entry\1", cleaned.strip())
    return _compact(cleaned)


@dataclass
class _Reading:
    """What was found in a level string."""

    key: str = ""
    own: list[Framework] = field(default_factory=list)  # the country's frameworks named in the string
    foreign: list[str] = field(default_factory=list)  # notations of other countries' frameworks
    eqf: int | None = None  # an EQF level named in the string
    eqf_text: str = ""


@dataclass(frozen=True)
class _Reader:
    """The compiled patterns that read level strings for one set of frameworks (built once per registry)."""

    eqf: re.Pattern[str] | None
    own: re.Pattern[str] | None
    own_frameworks: dict[str, list[Framework]]
    foreign: re.Pattern[str] | None
    foreign_written: dict[str, str]
    generic: re.Pattern[str] | None


def _reader(registry: FrameworkRegistry, frameworks: Sequence[Framework]) -> _Reader:
    memo_key = ("reader", tuple((fw.country, fw.acronym) for fw in frameworks))
    if memo_key in registry.memo:
        return registry.memo[memo_key]  # type: ignore[return-value]
    eqf_words = _word_pattern(registry.words["eqf"])
    eqf_pattern = None
    if eqf_words is not None:
        level_words = "|".join(re.escape(w) for w in sorted(registry.words["level"], key=len, reverse=True))
        eqf_pattern = re.compile(rf"{eqf_words.pattern}\s*[-:]?\s*(?:(?:{level_words})\s*[-:]?\s*)?(\d+|[ivx]+)\b")
    own: dict[str, list[Framework]] = {}
    for framework in frameworks:
        for notation in framework.notations:
            own.setdefault(_clean(notation), []).append(framework)
    generic = set(registry.words["generic"])
    foreign: dict[str, str] = {}
    for other in registry.all():
        for notation in other.notations:
            folded = _clean(notation)
            if folded not in own and folded not in generic:
                foreign.setdefault(folded, notation)
    reader = _Reader(
        eqf=eqf_pattern,
        own=_word_pattern(list(own)),
        own_frameworks=own,
        foreign=_word_pattern(list(foreign)),
        foreign_written=foreign,
        generic=_word_pattern(sorted(generic)),
    )
    registry.memo[memo_key] = reader
    return reader


def _read(text: str, registry: FrameworkRegistry, frameworks: Sequence[Framework]) -> _Reading:
    reader = _reader(registry, frameworks)
    reading = _Reading()
    cleaned = _clean(text)
    # EQF mentions: "EQF 5", "EQR-Niveau 5", "CEC niveau V", "(EQF level 4)".
    match = reader.eqf.search(cleaned) if reader.eqf is not None else None
    if match:
        value = match.group(1)
        number = (int(value) if len(value) <= 2 else None) if value.isdigit() else _roman_to_int(value)
        if number is not None and 1 <= number <= 8:
            reading.eqf, reading.eqf_text = number, match.group(0)
            cleaned = (cleaned[: match.start()] + " " + cleaned[match.end() :]).strip()
    # Framework notations: the country's own, then everybody else's (longest alternatives first).
    if reader.own is not None:
        for found in reader.own.findall(cleaned):
            for framework in reader.own_frameworks[found]:
                if framework not in reading.own:
                    reading.own.append(framework)
        cleaned = reader.own.sub(" ", cleaned)
    if reader.foreign is not None:
        reading.foreign = [reader.foreign_written[found] for found in reader.foreign.findall(cleaned)]
        cleaned = reader.foreign.sub(" ", cleaned)
    if reader.generic is not None:
        cleaned = reader.generic.sub(" ", cleaned)
    reading.key = level_key(cleaned, registry)
    return reading


def _keys_of(level: FrameworkLevel, framework: Framework, registry: FrameworkRegistry) -> set[str]:
    memo_key = ("keys", framework.country, framework.acronym, level.nqf_level)
    if memo_key not in registry.memo:
        registry.memo[memo_key] = _compute_keys(level, framework, registry)
    return registry.memo[memo_key]  # type: ignore[return-value]


def _compute_keys(level: FrameworkLevel, framework: Framework, registry: FrameworkRegistry) -> set[str]:
    keys = {level_key(level.nqf_level, registry, framework.notations)}
    keys |= {level_key(alias, registry, framework.notations) for alias in level.aliases}
    if level.label:
        keys.add(level_key(level.label, registry, framework.notations))
    return {k for k in keys if k}


def _parent_key(level: FrameworkLevel, framework: Framework, registry: FrameworkRegistry) -> str:
    return level_key(level.parent, registry, framework.notations) if level.parent else ""


def _shown_key(key: str) -> str:
    """A key as a reason quotes it: roman numerals in capitals (`iv` → `IV`), digits as they are."""
    return key.upper() if key[:1].isalpha() else key


def _swapped_numerals(key: str) -> str | None:
    """`iv` → `4`, `5a` → `va`, `vbis` → `5bis`: the same key with its leading number in the other numeral system."""
    arabic = re.match(r"^(\d+)(.*)$", key)
    if arabic and len(arabic.group(1)) <= 2 and 1 <= int(arabic.group(1)) <= 10:
        return _int_to_roman(int(arabic.group(1))) + arabic.group(2)
    roman = re.match(r"^([ivx]+)(.*)$", key)
    if roman:
        # prefer the longest roman prefix that is a valid numeral ("vbis" → "v" + "bis")
        for end in range(len(roman.group(1)), 0, -1):
            value = _roman_to_int(key[:end])
            if value:
                return f"{value}{key[end:]}"
    return None


Match = tuple[Framework, FrameworkLevel]


def _match(key: str, frameworks: Sequence[Framework], registry: FrameworkRegistry) -> tuple[list[Match], str]:
    """Levels whose key is ``key`` (or, failing that, whose parent is ``key``); returns (matches, how)."""
    exact = [(fw, lv) for fw in frameworks for lv in fw.levels if key in _keys_of(lv, fw, registry)]
    if exact:
        return exact, "exact"
    children = [(fw, lv) for fw in frameworks for lv in fw.levels if key and _parent_key(lv, fw, registry) == key]
    if children:
        return children, "parent"
    return [], ""


def _short_source(sources: Sequence[str]) -> str:
    return sources[0] if sources else "no source recorded"


def _level_name(framework: Framework, level: FrameworkLevel) -> str:
    """`SCQF 11`, `RQF 4`, `DQR 4`, `NIV-1969 IV` (the level as a person would cite it)."""
    if level.nqf_level.casefold().startswith(framework.acronym.casefold()):
        return level.nqf_level
    return f"{framework.acronym} {level.nqf_level}"


def _eqf_text(level: FrameworkLevel) -> str:
    return f"EQF {level.eqf_level}" if level.eqf_level is not None else "not referenced"


def _unsure_text(framework: Framework, level: FrameworkLevel) -> str:
    if not level.unsure:
        return ""
    parts = [p.strip() for p in re.split(r";\s*", level.note) if "unsure" in p or "EU vocabulary" in p]
    detail = parts[-1] if parts else "not confirmed by the cited source"
    return f"; UNSURE in our data: {detail}"


def _result(
    country: str,
    framework: Framework | None,
    status: str,
    reason: str,
    text: str,
    *,
    level: FrameworkLevel | None = None,
    nqf_level: str | None = None,
    eqf_level: int | None = None,
    candidates: Sequence[str] = (),
    source: str = "",
    unsure: bool = False,
    from_title: bool = False,
) -> LevelResolution:
    return LevelResolution(
        country=country,
        framework=framework.acronym if framework else "",
        nqf_level=level.nqf_level if level is not None else nqf_level,
        eqf_level=level.eqf_level if level is not None and eqf_level is None else eqf_level,
        status=status,
        reason=reason,
        source=source or (" ; ".join(level.sources) if level is not None else ""),
        candidates=tuple(candidates),
        input=text,
        unsure=unsure or (level.unsure if level is not None else False),
        eu_uri=level.eu_uri if level is not None else None,
        from_title=from_title,
    )


def _single(country: str, framework: Framework, level: FrameworkLevel, text: str, how: str) -> LevelResolution:
    place = framework.country_name or country
    extra = f"; {how}" if how else ""
    unsure = _unsure_text(framework, level)
    if level.eqf_level is None:
        reason = (
            f"{_level_name(framework, level)} is not referenced to the EQF ({place}{extra}{unsure}; "
            f"source: {_short_source(level.sources)})"
        )
        return _result(country, framework, "not_referenced", reason, text, level=level)
    reason = (
        f"{_level_name(framework, level)} → EQF {level.eqf_level} ({place}{extra}{unsure}; "
        f"source: {_short_source(level.sources)})"
    )
    return _result(country, framework, "ok", reason, text, level=level)


def _many(
    country: str,
    matches: list[Match],
    text: str,
    what: str,
    how: str,
    shown: str | None = None,
    *,
    span: bool = False,
) -> LevelResolution:
    """Several levels fit: one answer when they agree on the EQF, else ambiguous with the candidates.

    ``what`` is the national level reported (a register value, a parent level); ``shown`` how the reason quotes it.
    """
    nqf = what
    what = shown or what
    frameworks = list(dict.fromkeys(fw.acronym for fw, _ in matches))
    one_framework = len(frameworks) == 1
    names = [lv.nqf_level if one_framework else _level_name(fw, lv) for fw, lv in matches]
    described = ", ".join(f"{_level_name(fw, lv)} → {_eqf_text(lv)}" for fw, lv in matches)
    eqf_levels = {lv.eqf_level for _, lv in matches}
    first_fw, first_level = matches[0]
    sources = " ; ".join(dict.fromkeys(s for _, lv in matches for s in lv.sources))
    unsure = any(lv.unsure for _, lv in matches)
    extra = f"; {how}" if how else ""
    source = _short_source(first_level.sources)
    if len(eqf_levels) > 1:
        status = "ambiguous"
        reason = f"{what} is ambiguous: {described}; no single EQF level{extra} (source: {source})"
    elif (eqf := next(iter(eqf_levels))) is None:
        status = "not_referenced"
        reason = f"{what} can only be {described}: none is referenced to the EQF{extra} (source: {source})"
    elif one_framework:
        relation = "spans" if span else "without its sub-level:"
        reason = f"{what} {relation} {described}, so EQF {eqf} either way{extra} (source: {source})"
        return _result(
            country,
            first_fw,
            "ok",
            reason,
            text,
            nqf_level=nqf,
            eqf_level=eqf,
            candidates=names,
            source=sources,
            unsure=unsure,
        )
    else:
        # Same level in two frameworks of the country (RQF 6 and FHEQ 6): report the main framework's level.
        others = ", ".join(_level_name(fw, lv) for fw, lv in matches[1:])
        reason = (
            f"{_level_name(first_fw, first_level)} → EQF {eqf} ({others}: EQF {eqf} too{extra}; "
            f"source: {_short_source(first_level.sources)})"
        )
        return _result(country, first_fw, "ok", reason, text, level=first_level, candidates=names, source=sources)
    # No single EQF level: the candidates are the answer.
    return _result(
        country,
        first_fw if one_framework else None,
        status,
        reason,
        text,
        nqf_level=nqf if one_framework else None,
        candidates=names,
        source=sources,
        unsure=unsure,
    )


def _from_title(
    country: str, candidates: list[Match], title: str, registry: FrameworkRegistry
) -> tuple[Framework, FrameworkLevel, str] | None:
    """The one candidate sub-level the title names ("… Entry 3 Award …"), or None when it names none or several."""
    cleaned = _clean(title)
    found: list[tuple[Framework, FrameworkLevel, str]] = []
    for framework, level in candidates:
        key = level_key(level.nqf_level, registry, framework.notations)
        entry = re.match(r"^entry(\d)$", key)
        if entry:
            pattern = rf"\b(?:entry|e)\s*(?:level\s*)?{entry.group(1)}\b"
        else:
            body = r"\s*".join(re.escape(part) for part in re.findall(r"[a-z]+|\d+|[./+]", key))
            pattern = rf"\b(?:level|niveau|stufe|niv|l)\s*{body}(?![\w./+])"
        match = re.search(pattern, cleaned)
        if match:
            found.append((framework, level, match.group(0)))
    return found[0] if len(found) == 1 else None


def resolve_level(
    registry: FrameworkRegistry,
    country: str,
    text: str | float | int | None,
    *,
    framework: str | None = None,
    title: str | None = None,
) -> LevelResolution:
    """Resolve a level string from a register to its national level and EQF level, with a status and a reason.

    ``country`` is a code such as ``GB-SCT`` (any case; an unknown code raises :class:`SkillmapError` with close
    matches). ``framework`` (an acronym or notation, e.g. ``FHEQ``) limits the search to one of the country's
    frameworks. ``title``, when given, is used only to pick a sub-level the level field leaves open (DfE
    ``Entry Level`` rows whose title says ``Entry 3``): such an answer has ``from_title=True`` and says so in its
    reason; when the title names no single candidate the answer stays ``ambiguous``.

    Statuses: ``ok`` (one EQF level), ``ambiguous`` (several, listed in ``candidates``), ``not_referenced``,
    ``unknown`` (nothing matches; not an error) and ``missing`` (empty input).
    """
    code = registry.normalise_country(country)
    frameworks = registry.frameworks(code)
    if text is None or (isinstance(text, float) and math.isnan(text)):  # an empty cell read by pandas is NaN
        raw = ""
    else:
        raw = text if isinstance(text, str) else str(text)
    only = frameworks[0] if len(frameworks) == 1 else None
    if framework is not None and framework.strip():
        chosen = registry.get(code, framework)
        frameworks, only = [chosen], chosen
    if not _clean(raw):
        return _result(code, only, "missing", "no level given (empty value)", raw)
    if len(raw) > MAX_LEVEL_CHARS:  # a paragraph or a number thousands of digits long is no level
        reason = f"a level string of {len(raw):,} characters is not a level (levels are at most {MAX_LEVEL_CHARS})"
        return _result(code, only, "unknown", reason, raw)

    reading = _read(raw, registry, frameworks)
    if reading.own:
        named = [fw for fw in frameworks if fw in reading.own]
        if not named:
            named_text = ", ".join(fw.acronym for fw in reading.own)
            reason = f"the string names {named_text}, but the framework asked for is {frameworks[0].acronym}"
            return _result(code, frameworks[0], "unknown", reason, raw)
        frameworks = named
    elif reading.foreign:
        owners = sorted(
            {fw.country for fw in registry.all() for n in fw.notations if _clean(n) == _clean(reading.foreign[0])}
        )
        own_names = ", ".join(fw.acronym for fw in frameworks)
        reason = (
            f"{reading.foreign[0]} is not a framework of {code} (its frameworks: {own_names}); "
            f"{reading.foreign[0]} belongs to {', '.join(owners)}"
        )
        return _result(code, only, "unknown", reason, raw)
    target = frameworks[0] if len(frameworks) == 1 else only

    if not reading.key:
        if reading.eqf is not None:
            reason = f"the string names an EQF level directly ({reading.eqf_text.strip().upper()})"
            return LevelResolution(
                country=code,
                framework="EQF",
                nqf_level=None,
                eqf_level=reading.eqf,
                status="ok",
                reason=reason,
                source="the EQF itself (Council Recommendation of 22 May 2017, Annex II)",
                input=raw,
            )
        return _result(code, target, "unknown", f"no level number or name found in {raw.strip()!r}", raw)

    resolution = _resolve_key(code, frameworks, reading.key, raw, registry, title)
    if reading.eqf is None:
        return resolution
    return _check_against_eqf(resolution, reading, raw)


def _resolve_key(
    code: str,
    frameworks: list[Framework],
    key: str,
    raw: str,
    registry: FrameworkRegistry,
    title: str | None,
) -> LevelResolution:
    matches, how = _match(key, frameworks, registry)
    note = ""
    if not matches:
        swapped = _swapped_numerals(key)
        if swapped:
            matches, how = _match(swapped, frameworks, registry)
            if matches:
                note = f"{_shown_key(key)} read as {_shown_key(swapped)}"
    if not matches and re.search(r"\d\s*,\s*\d", raw):  # a decimal comma: "5,1" for 5.1
        matches, how = _match(key.replace("/", "."), frameworks, registry)
        note = f"{raw.strip()} read as {key.replace('/', '.')}" if matches else note
    if not matches:
        parts = [p for p in key.split("/") if p] if "/" in key else []
        prefix = re.match(r"^(entry)", key)
        if len(parts) > 1:
            if prefix:
                parts = [parts[0]] + [prefix.group(1) + p for p in parts[1:]]
            # A span ("Level 4/5", "Entry 1,2") is read in the first framework that has every level it names.
            for framework in frameworks:
                combined: list[Match] = []
                for part in parts:
                    combined.extend(_match(part, [framework], registry)[0])
                if len({lv.nqf_level for _, lv in combined}) >= len(parts):
                    return _many(code, combined, raw, raw.strip(), "", span=True)
    if not matches:
        return _unknown(code, frameworks, raw)
    if len(matches) == 1 and matches[0][1].kind != "register_value":
        return _single(code, matches[0][0], matches[0][1], raw, note)
    if len(matches) == 1:  # a register value such as "Entry Level" or "Level 1/2": its candidates decide
        framework, value = matches[0]
        by_name = {lv.nqf_level.casefold(): lv for lv in framework.levels}
        candidates = [(framework, by_name[c.casefold()]) for c in value.candidates]
        what = value.nqf_level
    else:
        candidates = matches
        what = (matches[0][1].parent if how == "parent" else "") or raw.strip()
    shown = repr(raw.strip()) if raw.strip().casefold() != what.casefold() else what
    resolution = _many(code, candidates, raw, what, note, shown)
    # The title may only pick a sub-level the field leaves open (Entry Level → Entry 3); a cross-level value such as
    # "Level 1/2" spans both levels by design, so a title naming one of them does not narrow it.
    if resolution.status != "ambiguous" or not title or any(lv.kind != "sub_level" for _, lv in candidates):
        return resolution
    picked = _from_title(code, candidates, title, registry)
    if picked is None:
        return resolution
    framework, level, evidence = picked
    single = _single(code, framework, level, raw, "")
    arrow = f"EQF {level.eqf_level}" if level.eqf_level is not None else "not referenced to the EQF"
    reason = (
        f"sub-level {_level_name(framework, level)} taken from the title ({evidence!r}), not from the level field "
        f"{raw.strip()!r}: {arrow} (source: {_short_source(level.sources)})"
    )
    return _result(
        code, framework, single.status, reason, raw, level=level, candidates=resolution.candidates, from_title=True
    )


def _unknown(code: str, frameworks: list[Framework], raw: str) -> LevelResolution:
    listed = "; ".join(
        f"{fw.acronym}: " + ", ".join(lv.nqf_level for lv in fw.levels if lv.kind != "register_value")
        for fw in frameworks
    )
    reason = f"{raw.strip()!r} matches no level of {code} ({listed})"
    return _result(code, frameworks[0] if len(frameworks) == 1 else None, "unknown", reason, raw)


def _check_against_eqf(resolution: LevelResolution, reading: _Reading, raw: str) -> LevelResolution:
    """A string that names both a national level and an EQF level: they must agree."""
    from dataclasses import replace

    said = reading.eqf
    if resolution.status in ("unknown", "missing"):
        reason = f"the string names EQF {said} directly; its national part did not resolve ({resolution.reason})"
        return replace(resolution, framework="EQF", nqf_level=None, eqf_level=said, status="ok", reason=reason)
    if resolution.status == "ok" and resolution.eqf_level == said:
        return replace(resolution, reason=f"{resolution.reason}; the string's EQF {said} agrees")
    candidates = (
        (*resolution.candidates, f"EQF {said}")
        if resolution.candidates
        else (resolution.nqf_level or "", f"EQF {said}")
    )
    reason = f"the string says EQF {said} but {resolution.reason}"
    return replace(resolution, status="ambiguous", eqf_level=None, reason=reason, candidates=tuple(candidates))


def resolve_levels(
    registry: FrameworkRegistry,
    country: str,
    texts: Sequence[str | None],
    *,
    framework: str | None = None,
    titles: Sequence[str | None] | None = None,
) -> list[LevelResolution]:
    """Resolve many level strings of one country at once (same answers as :func:`resolve_level`, repeated strings
    are resolved once)."""
    cache: dict[tuple[str | None, str | None], LevelResolution] = {}
    results: list[LevelResolution] = []
    for index, text in enumerate(texts):
        title = titles[index] if titles is not None else None
        key = (text, title)
        if key not in cache:
            cache[key] = resolve_level(registry, country, text, framework=framework, title=title)
        results.append(cache[key])
    return results


def compare_frameworks(
    registry: FrameworkRegistry,
    left: str,
    right: str,
    *,
    left_framework: str | None = None,
    right_framework: str | None = None,
) -> list[dict[str, object]]:
    """Two frameworks side by side through the EQF: one row per EQF level 1–8, then one for unreferenced levels.

    Each row has ``eqf_level`` (1–8 or None), ``left`` and ``right`` (the national levels at that EQF level, in
    framework order; several = many-to-one) and ``left_framework``/``right_framework``. Register values (``Entry
    Level``, ``Level 1/2``) are left out: they are not levels.
    """
    frameworks = (registry.get(left, left_framework), registry.get(right, right_framework))
    rows: list[dict[str, object]] = []
    for eqf in [*range(1, 9), None]:
        row: dict[str, object] = {"eqf_level": eqf}
        for side, fw in zip(("left", "right"), frameworks, strict=True):
            levels = [lv for lv in fw.levels if lv.kind != "register_value" and lv.eqf_level == eqf]
            row[f"{side}_country"] = fw.country
            row[f"{side}_framework"] = fw.acronym
            row[side] = [lv.nqf_level + (" (unsure)" if lv.unsure else "") for lv in levels]
        if eqf is not None or row["left"] or row["right"]:
            rows.append(row)
    return rows
