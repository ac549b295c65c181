"""The ``skillmap`` command: a thin typer layer over the library.

Each command module parses options, calls one library function and renders the result. Heavy libraries
(pandas, rdflib, openpyxl) are imported inside the commands that need them, so quick commands start fast.
"""

from __future__ import annotations

import sys

import typer

from skillmap.cli.common import EXIT_UNUSABLE
from skillmap.errors import SkillmapError

HELP = """Map qualifications between national frameworks, the EQF and ESCO.

Exit codes: 0 success, 1 a check or comparison found a difference, 2 unusable input or usage error.
"""


def build_app() -> typer.Typer:
    """Assemble the typer application from the command modules."""
    from skillmap.cli import align, check, esco, export, frameworks, matching, registers

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
        version: bool = typer.Option(False, "--version", help="Print the version and exit.", is_eager=True),
    ) -> None:
        if version:
            from skillmap import __version__

            typer.echo(f"skillmap {__version__}")
            raise typer.Exit()

    for module in (esco, matching, frameworks, align, registers, export, check):
        module.register(app)
    return app


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; map :class:`SkillmapError` to one line on stderr and exit status 2."""
    app = build_app()
    try:
        app(args=argv, prog_name="skillmap")
    except SkillmapError as exc:
        sys.stderr.write(f"skillmap: error: {exc.message}\n")
        sys.exit(EXIT_UNUSABLE)
    except MemoryError:
        sys.stderr.write("skillmap: error: out of memory; try a smaller input or split it\n")
        sys.exit(EXIT_UNUSABLE)
    except KeyboardInterrupt:
        sys.stderr.write("skillmap: interrupted\n")
        sys.exit(130)
