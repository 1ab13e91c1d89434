"""The ``ngo-ld`` command: a thin layer over the library.

Exit codes mean something (pySHACL's scheme, which the contract fixes): 0 the data
conforms / the job succeeded, 1 SHACL violations, 2 unusable input (a file that does not
parse, a bad option). Errors are printed as messages, never as Python tracebacks.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import __version__
from .config import Settings
from .errors import NgoLdError
from .formats import DUMP_FORMATS, by_token

EXIT_OK, EXIT_VIOLATIONS, EXIT_UNUSABLE = 0, 1, 2


def _settings(ctx: click.Context, **overrides: object) -> Settings:
    home = ctx.obj.get("home") if ctx.obj else None
    try:
        return Settings.from_env(home=home, **overrides)
    except (ValueError, TypeError) as exc:
        raise click.UsageError(str(exc)) from None


def _fail(exc: NgoLdError) -> None:
    click.echo(f"error: {exc}", err=True)
    sys.exit(EXIT_UNUSABLE)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ngo-ld")
@click.option("--home", type=click.Path(file_okay=False, path_type=Path), envvar="NGO_LD_HOME",
              help="Folder holding data/, ontology/, shapes/ and metadata/ (a maintainer's "
                   "working copy). Default: the copy shipped with the package.")
@click.pass_context
def cli(ctx: click.Context, home: Path | None) -> None:
    """ASTRA's international collaborations as Linked Data."""
    ctx.ensure_object(dict)
    if home is not None and not (home / "data").is_dir():
        raise click.BadParameter(f"{home} has no data/ folder", param_hint="--home")
    ctx.obj["home"] = home


@cli.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="How to print the report.")
@click.pass_context
def validate(ctx: click.Context, files: tuple[Path, ...], output_format: str) -> None:
    """Validate FILES (default: everything under data/ and ontology/) against shapes/.

    Exit status: 0 conforms, 1 violations, 2 a file that cannot be read or parsed.
    """
    from .validation import validate_sources

    settings = _settings(ctx)
    try:
        outcome = validate_sources(settings, [f.resolve() for f in files] or None)
    except NgoLdError as exc:
        if output_format == "json":
            import json

            click.echo(json.dumps({"conforms": False, "error": exc.message,
                                   "hint": exc.hint}, ensure_ascii=False, indent=2))
        _fail(exc)
        return
    click.echo(outcome.to_json() if output_format == "json" else outcome.to_text())
    sys.exit(EXIT_OK if outcome.conforms else EXIT_VIOLATIONS)


@cli.command()
@click.option("--format", "fmt", type=click.Choice([f.token for f in DUMP_FORMATS]),
              default="turtle", show_default=True, help="Serialization of the dataset.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file instead of standard output.")
@click.pass_context
def export(ctx: click.Context, fmt: str, output: Path | None) -> None:
    """Write the whole dataset (every triple of data/ and ontology/)."""
    from .render import serialize_triples
    from .stores import open_store

    settings = _settings(ctx)
    try:
        store = open_store(settings)
    except NgoLdError as exc:
        _fail(exc)
        return
    body = serialize_triples(store.triples(), by_token(fmt))  # type: ignore[arg-type]
    if output is None:
        sys.stdout.buffer.write(body)
        sys.stdout.buffer.flush()
        return
    tmp = output.with_name(output.name + ".part")
    try:
        tmp.write_bytes(body)
        tmp.replace(output)  # never leave half a file behind
    except OSError as exc:
        click.echo(f"error: cannot write {output}: {exc.strerror}", err=True)
        sys.exit(EXIT_UNUSABLE)
    click.echo(f"wrote {len(body):,} bytes of {by_token(fmt).label} to {output}",  # type: ignore[union-attr]
               err=True)


@cli.command()
@click.option("--host", default=None, help="Interface to bind. [default: 127.0.0.1]")
@click.option("--port", type=click.IntRange(0, 65535), default=None,
              help="Port to listen on. [default: 5000]")
@click.option("--workers", type=click.IntRange(1, 64), default=None,
              help="Worker processes. [default: 2]")
@click.option("--threads", type=click.IntRange(1, 256), default=None,
              help="Threads per worker. [default: 4]")
@click.option("--store", type=click.Choice(["memory", "disk", "remote"]), default=None,
              help="Store backend. [default: memory]")
@click.option("--server", type=click.Choice(["granian", "gunicorn"]), default=None,
              help="Production WSGI server. [default: granian]")
@click.pass_context
def serve(ctx: click.Context, host: str | None, port: int | None, workers: int | None,
          threads: int | None, store: str | None, server: str | None) -> None:
    """Serve the dataset over HTTP (validates the data first; SIGTERM stops it)."""
    from .errors import InvalidData
    from .server import run_server

    settings = _settings(ctx, host=host, port=port, workers=workers, threads=threads,
                         store=store, server=server)
    if settings.cache_dir is None:  # remember validation per data version (issue 5)
        from .backends import default_cache_dir

        settings = settings.but(cache_dir=default_cache_dir())
    try:
        run_server(settings)
    except InvalidData as exc:
        click.echo(exc.report, err=True)
        click.echo("error: refusing to serve data that does not conform to the shapes; "
                   "fix the violations above and run `ngo-ld validate`", err=True)
        sys.exit(EXIT_VIOLATIONS)
    except NgoLdError as exc:
        _fail(exc)


@cli.command()
@click.option("--triples", type=click.IntRange(0, None), required=True,
              help="About how many triples the home folder should hold in all.")
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path),
              required=True, help="Home folder to write (data/, ontology/, shapes/, metadata/).")
@click.option("--seed", type=int, default=5, show_default=True, help="Random seed.")
@click.pass_context
def synth(ctx: click.Context, triples: int, output: Path, seed: int) -> None:
    """Write a home folder with synthetic data for benchmarks (serve it with --home)."""
    from .synthetic import write_home

    write_home(output, triples, source=_settings(ctx), seed=seed)
    click.echo(f"wrote a home folder of about {triples:,} triples to {output}; "
               f"serve it with `ngo-ld --home {output} serve`", err=True)


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="ngo-ld")
