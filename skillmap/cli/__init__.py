"""The ``skillmap`` command: a thin typer layer over the library.

Each command module parses options, calls one library function and renders the result. Heavy libraries
(pandas, rdflib, openpyxl) are imported inside the commands that need them, so quick commands start fast.
"""

from __future__ import annotations

import inspect
import sys

import typer

from skillmap.cli.common import EXIT_UNUSABLE
from skillmap.errors import SkillmapError

HELP = """Map qualifications between national frameworks, the EQF and ESCO.

Exit codes: 0 success, 1 a check or comparison found a difference, 2 unusable input or usage error.
"""


def _print_version(value: bool) -> None:
    if value:
        from skillmap import __version__

        typer.echo(f"skillmap {__version__}")
        raise typer.Exit()


def build_app() -> typer.Typer:
    """Assemble the typer application from the command modules."""
    from skillmap.cli import align, check, esco, export, frameworks, gap, levels_suggest, matching, registers

    app = typer.Typer(
        name="skillmap",
        help=HELP,
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        rich_markup_mode="rich",
    )

    @app.callback()
    def _root(
        version: bool = typer.Option(
            False, "--version", help="Print the version and exit.", is_eager=True, callback=_print_version
        ),
    ) -> None:
        """Options of the ``skillmap`` command itself (``--version`` is handled by its callback)."""

    for module in (esco, matching, frameworks, levels_suggest, align, registers, export, check, gap):
        module.register(app)
    _unwrap_command_help(app)
    return app


def unwrap_paragraphs(text: str) -> str:
    """Help text as paragraphs for rich to wrap at the terminal's width: the line breaks inside a paragraph
    (written for the source file) become spaces; blank lines and lines that start a list item stay."""
    paragraphs = inspect.cleandoc(text).split("\n\n")
    joined = []
    for paragraph in paragraphs:
        lines = paragraph.split("\n")
        merged = lines[:1]
        for line in lines[1:]:
            if line.lstrip().startswith(("- ", "* ", "\b")) or merged[-1].startswith("\b"):
                merged.append(line)
            else:
                merged[-1] = f"{merged[-1].rstrip()} {line.strip()}"
        joined.append("\n".join(merged))
    return "\n\n".join(joined)


def _unwrap_command_help(app: typer.Typer) -> None:
    """Rich wraps help to the terminal; typer's rich mode keeps the source's line breaks, so drop them first."""
    for command in app.registered_commands:
        text = command.help if command.help is not None else inspect.getdoc(command.callback)
        if text:
            command.help = unwrap_paragraphs(text)
    for group in app.registered_groups:
        if group.typer_instance is not None:
            _unwrap_command_help(group.typer_instance)


# SkillmapError.hint names a library keyword; on the command line the fix is a flag. Keywords whose flag is not
# simply ``--`` + the keyword with dashes are listed here (the one place hints become flag wording).
FLAG_FOR_HINT: dict[str, str] = {
    "fmt": "--format",
    "input_format": "--input-format",
    "max_input_mb": "SKILLMAP_MAX_INPUT_MB",  # the input cap has no flag: the library messages name the variable
    "store_path": "SKILLMAP_HOME",
    "targets": "--out",
}


def flag_for_hint(hint: str) -> str:
    """The command-line spelling of a keyword named in ``SkillmapError.hint`` (``isced_map`` → ``--isced-map``)."""
    return FLAG_FOR_HINT.get(hint, "--" + hint.strip().replace("_", "-"))


def error_line(exc: SkillmapError) -> str:
    """The one line the CLI prints for a :class:`SkillmapError`, with its hint in flag wording (unless the message
    already names it)."""
    message = exc.message.rstrip()
    if exc.hint and flag_for_hint(exc.hint) not in message:
        message += f" (use {flag_for_hint(exc.hint)})"
    return f"skillmap: error: {message}"


def usage_error_line(exc: Exception) -> str:
    """One line for typer's own usage errors (missing argument, unknown option, a value out of range)."""
    ctx = getattr(exc, "ctx", None)
    message = " ".join(exc.format_message().split()).rstrip(".")  # type: ignore[attr-defined]
    where = f" (try '{ctx.command_path} --help')" if ctx is not None else " (try 'skillmap --help')"
    return f"skillmap: error: {message[:1].lower() + message[1:]}{where}"


def _click_exceptions():  # typer >= 0.26 vendors click as typer._click; older releases use click itself
    try:
        from typer._click import exceptions
    except ImportError:  # pragma: no cover - depends on the installed typer
        from click import exceptions
    return exceptions


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; every error the user can fix is one line on stderr and exit status 2, never a traceback."""
    clicks = _click_exceptions()
    command = typer.main.get_command(build_app())
    try:
        status = command.main(args=argv, prog_name="skillmap", standalone_mode=False)
    except clicks.NoArgsIsHelpError as exc:  # `skillmap` or `skillmap esco` alone: the help is already printed
        sys.exit(exc.exit_code)
    except clicks.UsageError as exc:
        sys.stderr.write(usage_error_line(exc) + "\n")
        sys.exit(EXIT_UNUSABLE)
    except clicks.ClickException as exc:  # e.g. a file option that cannot be opened
        sys.stderr.write(f"skillmap: error: {' '.join(exc.format_message().split())}\n")
        sys.exit(exc.exit_code)
    except SkillmapError as exc:
        sys.stderr.write(error_line(exc) + "\n")
        sys.exit(EXIT_UNUSABLE)
    except MemoryError:
        sys.stderr.write("skillmap: error: out of memory; try a smaller input or split it\n")
        sys.exit(EXIT_UNUSABLE)
    except (KeyboardInterrupt, typer.Abort):
        sys.stderr.write("skillmap: interrupted\n")
        sys.exit(130)
    sys.exit(status if isinstance(status, int) else 0)
