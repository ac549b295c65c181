"""Options every command spells the same way, defined once (as sqlite-utils does).

Import the ``Annotated`` aliases and use them as parameter types; the keyword name of the parameter is the
keyword name of the library function it is passed to.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from skillmap.cli.common import FormatOption, OutputFormat

__all__ = [
    "CountryOption",
    "EncodingOption",
    "FormatOption",
    "InputFormatOption",
    "LangOption",
    "MethodOption",
    "OutOption",
    "OutputFormat",
    "QuietOption",
    "TopOption",
]

CountryOption = Annotated[
    str | None,
    typer.Option(
        "--country",
        "-c",
        help="Country or region code (DE, FR, GB-ENG, BE-VLG…) or name (Deutschland, England).",
        show_default=False,
    ),
]
LangOption = Annotated[
    list[str] | None,
    typer.Option(
        "--lang",
        "-l",
        help="Language of labels or texts (ISO 639-1; repeatable or comma-separated, e.g. --lang en,fr).",
        show_default=False,
    ),
]
MethodOption = Annotated[
    str | None,
    typer.Option(
        "--method",
        help="Matching method: lexical (the labels' words and characters), semantic (the multilingual sentence "
        "model) or hybrid (both fused; a text in a language the labels are not in gets the semantic ranking). "
        "Default: hybrid when the index has its semantic matrix, else lexical.",
        show_default=False,
    ),
]
OutOption = Annotated[
    Path | None,
    typer.Option("--out", "-o", help="File to write (atomically: a temp file, then a rename).", show_default=False),
]
TopOption = Annotated[int, typer.Option("--top", "-n", help="Number of results to show.", min=1, max=10_000)]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar or notes on stderr.")]
InputFormatOption = Annotated[
    str | None,
    typer.Option(
        "--input-format",
        help="Kind of input file when detection fails (e.g. csv, xlsx, rncp-xml, dfe, alignment).",
        show_default=False,
    ),
]
EncodingOption = Annotated[
    str | None,
    typer.Option(
        "--encoding",
        help="Text encoding of a csv/tsv input (utf-8, cp1250, cp1252…); default: detected.",
        show_default=False,
    ),
]
