"""The ``ngo-ld`` command: a thin layer over the library.

Exit codes mean something (pySHACL's scheme, which the contract fixes): 0 the data
conforms / the job succeeded, 1 SHACL violations, 2 unusable input (a file that does not
parse, a bad option). Errors are printed as messages, never as Python tracebacks.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .config import Settings, default_home
from .errors import LoadError, NgoLdError
from .formats import DUMP_FORMATS, by_token
from .version import __version__

EXIT_OK, EXIT_VIOLATIONS, EXIT_UNUSABLE = 0, 1, 2


def find_repository_copy(start: Path) -> Path | None:
    """The nearest folder at or above ``start`` that holds data/, ontology/ and shapes/
    (a copy of the repository), as git finds its working tree; None if there is none."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if all((folder / name).is_dir() for name in ("data", "ontology", "shapes")):
            return folder
    return None


def _remember_home(ctx: click.Context, param: click.Parameter, value: Path | None) -> None:
    """--home may stand before or after the command; the last one given wins."""
    if value is None:
        return
    source = ctx.get_parameter_source(param.name or "home")
    root = ctx.find_root()
    root.ensure_object(dict)
    root.obj["home"] = value
    root.obj["home_reason"] = ("NGO_LD_HOME" if source == click.core.ParameterSource.ENVIRONMENT
                               else "--home")


def home_option(envvar: str | None = None):  # type: ignore[no-untyped-def]
    """The --home option, for the group and for every command (so it works either side)."""
    return click.option(
        "--home", type=click.Path(file_okay=False, path_type=Path), envvar=envvar,
        expose_value=False, callback=_remember_home,
        help="Folder holding data/, ontology/, shapes/ and metadata/ (a maintainer's "
             "working copy). Default: the copy of the repository around the working "
             "directory (found like git finds its working tree), else the copy installed "
             "with ngo-ld. Also NGO_LD_HOME.")


def _home(ctx: click.Context, near: Path | None = None) -> tuple[Path, str]:
    """The home folder and why it was chosen: --home or NGO_LD_HOME, else the copy of the
    repository at or above ``near`` (a named file) or the working directory, else the
    installed copy."""
    obj = ctx.find_root().obj or {}
    if obj.get("home") is not None:
        home = obj["home"]
        if not (home / "data").is_dir():
            raise click.BadParameter(f"{home} has no data/ folder", param_hint="--home")
        return home, obj["home_reason"]
    for start, reason in ((near, "the copy of the repository holding the file"),
                          (Path.cwd(), "the copy of the repository around the working "
                                       "directory")):
        found = find_repository_copy(start) if start is not None else None
        if found is not None:
            return found, reason
    return default_home(), "the copy installed with ngo-ld"


def _settings(ctx: click.Context, *, near: Path | None = None, **overrides: object) -> Settings:
    home, _reason = _home(ctx, near)
    try:
        return Settings.from_env(home=home, **overrides)
    except (ValueError, TypeError) as exc:
        raise click.UsageError(str(exc)) from None


def _fail(exc: NgoLdError) -> None:
    click.echo(f"error: {exc}", err=True)
    sys.exit(EXIT_UNUSABLE)


def _takes_value(option: click.Option) -> bool:
    return not option.is_flag and not option.count


class OptionsEitherSide(click.Group):
    """A group whose commands' options may also stand before the command's name:
    ``ngo-ld --format json validate`` is ``ngo-ld validate --format json``. They are moved
    to just after the name, so an option given after the name too comes later and wins.

    An option is moved only when every command that has it agrees on whether it takes a
    value (otherwise the words after it could not be told apart from the command's name);
    the group's own options (--home, --help, --version) stay where they are."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        return super().parse_args(ctx, self.options_after_command(ctx, args))

    def options_after_command(self, ctx: click.Context, args: list[str]) -> list[str]:
        """``args`` with the commands' options that precede the command's name moved to
        just after it; anything else is left for Click to accept or refuse."""
        own = {name: _takes_value(p) for p in self.get_params(ctx)
               if isinstance(p, click.Option) for name in (*p.opts, *p.secondary_opts)}
        arity: dict[str, set[bool]] = {}
        for command in self.commands.values():
            for p in command.params:
                if isinstance(p, click.Option):
                    for name in (*p.opts, *p.secondary_opts):
                        arity.setdefault(name, set()).add(_takes_value(p))
        kept: list[str] = []
        moved: list[str] = []
        i = 0
        while i < len(args):
            word = args[i]
            if word == "--" or not word.startswith("-"):
                if word in self.commands:
                    return [*kept, word, *moved, *args[i + 1:]]
                break  # not a command's name: Click says what is wrong
            name = word.split("=", 1)[0] if word.startswith("--") else word[:2]
            inline = name != word  # --name=value or -ovalue
            if name in own:
                takes = own[name]
                target = kept
            elif len(arity.get(name, ())) == 1:
                (takes,) = arity[name]
                target = moved
            else:
                break  # unknown, or ambiguous: Click says what is wrong
            step = 2 if takes and not inline else 1
            target.extend(args[i:i + step])
            i += step
        return args


@click.group(cls=OptionsEitherSide,
             context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ngo-ld")
@home_option(envvar="NGO_LD_HOME")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """ASTRA's international collaborations as Linked Data.

    Options work before or after the command: `ngo-ld --home X serve` and
    `ngo-ld serve --home X` are the same, as are `ngo-ld --format json validate` and
    `ngo-ld validate --format json`; given on both sides, the one after the command wins.
    """
    ctx.ensure_object(dict)


@cli.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="How to print the report.")
@click.option("--engine", type=click.Choice(["oxigraph", "pyshacl"]), default="oxigraph",
              show_default=True,
              help="oxigraph: the shapes compiled to SPARQL (fast); pyshacl: the reference "
                   "engine. Their verdicts agree.")
@home_option()
@click.pass_context
def validate(ctx: click.Context, files: tuple[Path, ...], output_format: str,
             engine: str) -> None:
    """Validate the data (data/, ontology/ and metadata/) against shapes/.

    FILES are data files, or folders standing for the RDF files under them (such as
    data/collaborations). With FILES, the whole data is still validated, so that
    references into other files resolve, but only what concerns FILES is reported: the
    results whose focus node is described in one of them (is the subject of a triple
    there), and dangling references they make. The exit status is that of those results.

    The first line says which folder was checked. Exit status: 0 conforms, 1 violations,
    2 a file that cannot be read or parsed.
    """
    from .loading import named_rdf_files
    from .validation import validate_sources

    home: Path | None = None
    try:
        for folder in files:
            if folder.is_dir() and find_repository_copy(folder) == folder.resolve():
                raise LoadError(folder, "this is a copy of the repository, not data files: "
                                f"run `ngo-ld validate --home {folder}` to check all of it")
        named = named_rdf_files(files)
        home, reason = _home(ctx, named[0].parent if named else None)
        settings = _settings(ctx, near=named[0].parent if named else None)
        what = ", ".join(str(f) for f in files) + " (the rest of the data as context) in " \
            if files else ""
        click.echo(f"Validating {what}{home} ({reason}) with the {engine} engine",
                   err=output_format == "json")
        outcome = validate_sources(settings, named or None, engine=engine)
    except NgoLdError as exc:
        if output_format == "json":
            import json

            click.echo(json.dumps({"conforms": False, "error": exc.message, "hint": exc.hint,
                                   "home": None if home is None else str(home)},
                                  ensure_ascii=False, indent=2))
        _fail(exc)
        return
    if output_format == "json":
        import json

        body = json.loads(outcome.to_json())
        click.echo(json.dumps({"home": str(home), **body}, ensure_ascii=False, indent=2))
    else:
        click.echo(outcome.to_text())
    sys.exit(EXIT_OK if outcome.conforms else EXIT_VIOLATIONS)


@cli.command()
@click.option("--format", "fmt", type=click.Choice([f.token for f in DUMP_FORMATS]),
              default="turtle", show_default=True, help="Serialization of the dataset.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file instead of standard output.")
@home_option()
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
              help="Worker processes. [default: 1]")
@click.option("--threads", type=click.IntRange(1, 256), default=None,
              help="Threads per worker, beside one per query slot. [default: 4]")
@click.option("--store", type=click.Choice(["memory", "disk", "remote"]), default=None,
              help="Store backend. [default: memory]")
@click.option("--server", type=click.Choice(["granian", "gunicorn"]), default=None,
              help="Production WSGI server. [default: granian]")
@home_option()
@click.pass_context
def serve(ctx: click.Context, host: str | None, port: int | None, workers: int | None,
          threads: int | None, store: str | None, server: str | None) -> None:
    """Serve the dataset over HTTP (validates the data first; SIGTERM stops it)."""
    from .errors import InvalidData
    from .server import run_server

    settings = _settings(ctx, host=host, port=port, workers=workers, threads=threads,
                         store=store, server=server)
    if settings.cache_dir is None:  # remember validation per data version
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


@cli.command("load-remote")
@click.option("--graph-store", metavar="URL",
              help="A SPARQL 1.1 Graph Store endpoint to PUT each graph to (Oxigraph "
                   "`oxigraph serve`: http://host:7878/store; Fuseki: http://host:3030/ds/data).")
@click.option("--virtuoso", metavar="HOST:PORT",
              help="Virtuoso's isql address (its ServerPort, e.g. 127.0.0.1:1111): load with "
                   "its bulk loader.")
@click.option("--load-dir", type=click.Path(file_okay=False, path_type=Path),
              help="With --virtuoso: a folder Virtuoso may read (listed in DirsAllowed) "
                   "where the N-Triples files are written.")
@click.option("--user", default="dba", show_default=True, help="With --virtuoso: isql user.")
@click.option("--password", envvar="NGO_LD_VIRTUOSO_PASSWORD", default="dba",
              show_default=True, help="With --virtuoso: isql password "
                                      "(or NGO_LD_VIRTUOSO_PASSWORD).")
@click.pass_context
def load_remote(ctx: click.Context, graph_store: str | None, virtuoso: str | None,
                load_dir: Path | None, user: str, password: str) -> None:
    """Load the release into the SPARQL engine behind a remote store: each source file
    as its named graph, plus the marker that tells the fronts which release it is."""
    from .remote_load import load_graph_store, load_virtuoso, release

    if (graph_store is None) == (virtuoso is None):
        raise click.UsageError("give exactly one of --graph-store URL or --virtuoso HOST:PORT")
    if virtuoso is not None and load_dir is None:
        raise click.UsageError("--virtuoso needs --load-dir (a folder in Virtuoso's "
                               "DirsAllowed)")
    try:
        loaded = release(_settings(ctx))
        if graph_store is not None:
            load_graph_store(loaded, graph_store)
            where = graph_store
        else:
            load_virtuoso(loaded, virtuoso, load_dir, user=user,  # type: ignore[arg-type]
                          password=password)
            where = f"Virtuoso at {virtuoso}"
    except NgoLdError as exc:
        _fail(exc)
        return
    click.echo(f"loaded release {loaded.version}: {len(loaded.graphs) - 1} graphs, "
               f"{loaded.triples:,} triples, into {where}", err=True)


@cli.command()
@click.option("--triples", type=click.IntRange(0, None), required=True,
              help="About how many triples the home folder should hold in all.")
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path),
              required=True, help="Home folder to write (data/, ontology/, shapes/, metadata/).")
@click.option("--seed", type=int, default=5, show_default=True, help="Random seed.")
@home_option()
@click.pass_context
def synth(ctx: click.Context, triples: int, output: Path, seed: int) -> None:
    """Write a home folder with synthetic data for benchmarks (serve it with --home)."""
    from .synthetic import write_home

    write_home(output, triples, source=_settings(ctx), seed=seed)
    click.echo(f"wrote a home folder of about {triples:,} triples to {output}; "
               f"serve it with `ngo-ld serve --home {output}`", err=True)


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="ngo-ld")
