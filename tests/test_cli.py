"""The maintainer's commands, through Click's runner: exit codes, reports, exports."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import click
import pytest
import rdflib
from click.testing import CliRunner
from rdflib.compare import isomorphic, to_isomorphic

from ngo_ld.cli import cli
from ngo_ld.formats import DUMP_FORMATS
from ngo_ld.loading import parse_rdflib, source_files

ROOT = Path(__file__).resolve().parents[1]

TINY_SHAPES = """\
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix ex: <https://example.org/shapes#> .
ex:NameShape a sh:NodeShape ;
    sh:targetClass org:Organization ;
    sh:property [ sh:path skos:prefLabel ; sh:minCount 1 ;
                  sh:message "Every organisation needs a skos:prefLabel." ] .
"""

GOOD = """\
@prefix org: <http://www.w3.org/ns/org#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<https://w3id.org/ngo-ld/id/zora> a org:Organization ; skos:prefLabel "Zora"@hr .
"""

MISSING_LABEL = """\
@prefix org: <http://www.w3.org/ns/org#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .

<https://w3id.org/ngo-ld/id/zora> a org:Organization ; skos:prefLabel "Zora"@hr .
<https://w3id.org/ngo-ld/id/svet-reci> a org:Organization .
"""

BROKEN = """\
@prefix org: <http://www.w3.org/ns/org#> .

<https://w3id.org/ngo-ld/id/zora> a org:Organization ;
    <https://w3id.org/ngo-ld/ontology#country> "Hrvatska .
"""


def _home(tmp_path: Path, **files: str) -> Path:
    """A maintainer's working copy with the given data files and a one-shape shapes/."""
    (tmp_path / "data").mkdir()
    (tmp_path / "ontology").mkdir()
    (tmp_path / "shapes").mkdir()
    (tmp_path / "shapes" / "tiny.ttl").write_text(TINY_SHAPES, encoding="utf-8")
    for name, text in files.items():
        (tmp_path / "data" / f"{name}.ttl").write_text(text, encoding="utf-8")
    return tmp_path


def test_validate_exit_0_when_the_data_conforms(tmp_path: Path) -> None:
    home = _home(tmp_path, good=GOOD)
    result = CliRunner().invoke(cli, ["--home", str(home), "validate"])
    assert result.exit_code == 0, result.output
    assert "Conforms" in result.output


def test_validate_exit_1_reports_focus_path_value_message_and_file(tmp_path: Path) -> None:
    home = _home(tmp_path, bad=MISSING_LABEL)
    result = CliRunner().invoke(cli, ["--home", str(home), "validate"])
    assert result.exit_code == 1
    assert "ngo:svet-reci" in result.output
    assert "skos:prefLabel" in result.output
    assert "Every organisation needs a skos:prefLabel." in result.output
    assert "data/bad.ttl:5" in result.output  # the line that introduces the focus node
    assert "1 violation" in result.output


def test_validate_json_report_is_machine_readable(tmp_path: Path) -> None:
    home = _home(tmp_path, bad=MISSING_LABEL)
    result = CliRunner().invoke(cli, ["--home", str(home), "validate", "--format", "json"])
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["conforms"] is False
    assert report["violations"] == 1
    (only,) = report["results"]
    assert only["focus"] == "ngo:svet-reci"
    assert only["path"] == "skos:prefLabel"
    assert only["severity"] == "Violation"


def test_validate_exit_2_names_file_and_line_without_traceback(tmp_path: Path) -> None:
    home = _home(tmp_path, good=GOOD, broken=BROKEN)
    result = CliRunner().invoke(cli, ["--home", str(home), "validate"])
    assert result.exit_code == 2
    assert "broken.ttl:4" in result.stderr
    # What is wrong, in the parser's words, not just where.
    assert "string" in result.stderr.lower() or "expected" in result.stderr.lower()
    assert "fix the syntax" in result.stderr
    assert "Traceback" not in result.output + result.stderr


def test_a_missing_dot_is_named_as_such(tmp_path: Path) -> None:
    home = _home(tmp_path, good=GOOD.replace('"Zora"@hr .', '"Zora"@hr') + GOOD)
    result = CliRunner().invoke(cli, ["--home", str(home), "validate"])
    assert result.exit_code == 2
    assert "good.ttl:4" in result.stderr
    assert "dot is expected" in result.stderr


def test_validate_named_files_only(tmp_path: Path) -> None:
    home = _home(tmp_path, good=GOOD, bad=MISSING_LABEL)
    result = CliRunner().invoke(
        cli, ["--home", str(home), "validate", str(home / "data" / "good.ttl")]
    )
    assert result.exit_code == 0, result.output


def test_validate_missing_file_is_unusable_input(tmp_path: Path) -> None:
    home = _home(tmp_path, good=GOOD)
    result = CliRunner().invoke(cli, ["--home", str(home), "validate", "nope.ttl"])
    assert result.exit_code == 2
    assert "nope.ttl" in result.stderr
    assert "fix the syntax" not in result.stderr  # nothing to do with syntax


def test_validate_non_utf8_file_is_unusable_input(tmp_path: Path) -> None:
    home = _home(tmp_path)
    (home / "data" / "latin1.ttl").write_bytes(
        b'<https://w3id.org/ngo-ld/id/x> <http://www.w3.org/2004/02/skos/core#prefLabel> "\xe8" .'
    )
    result = CliRunner().invoke(cli, ["--home", str(home), "validate"])
    assert result.exit_code == 2
    assert "UTF-8" in result.stderr


def test_home_without_data_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--home", str(tmp_path), "validate"])
    assert result.exit_code == 2
    assert "no data/ folder" in result.output


def test_the_real_data_conforms() -> None:
    result = CliRunner().invoke(cli, ["--home", str(ROOT), "validate"])
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def source_graph() -> rdflib.Graph:
    from ngo_ld.config import Settings

    return parse_rdflib(source_files(Settings(home=ROOT)))


@pytest.mark.parametrize("fmt", DUMP_FORMATS, ids=lambda f: f.token)
def test_export_round_trips_to_the_source_graph(
    fmt, tmp_path: Path, source_graph: rdflib.Graph
) -> None:
    out = tmp_path / f"dump.{fmt.extension}"
    result = CliRunner().invoke(cli, ["--home", str(ROOT), "export", "--format", fmt.token,
                                      "-o", str(out)])
    assert result.exit_code == 0, result.output
    back = rdflib.Graph().parse(out, format=fmt.rdflib_name)
    assert len(back) == len(source_graph)
    assert isomorphic(to_isomorphic(back), to_isomorphic(source_graph))
    text = out.read_text(encoding="utf-8")
    # Serbian/Croatian diacritics and „“ quotes survive every format unescaped.
    for word in ("Ženska soba", "„Svi za pravično suđenje“"):
        assert word in text or json.dumps(word)[1:-1] in text, (fmt.token, word)


def test_export_to_stdout(source_graph: rdflib.Graph) -> None:
    result = CliRunner().invoke(cli, ["--home", str(ROOT), "export", "--format", "ntriples"])
    assert result.exit_code == 0
    back = rdflib.Graph().parse(data=result.stdout_bytes, format="nt")
    assert len(back) == len(source_graph)


def test_export_on_broken_data_fails_cleanly(tmp_path: Path) -> None:
    home = _home(tmp_path, broken=BROKEN)
    result = CliRunner().invoke(cli, ["--home", str(home), "export", "-o",
                                      str(tmp_path / "out.ttl")])
    assert result.exit_code == 2
    assert "broken.ttl:4" in result.stderr
    assert not (tmp_path / "out.ttl").exists()


def test_export_unknown_format_lists_choices() -> None:
    result = CliRunner().invoke(cli, ["export", "--format", "yaml"])
    assert result.exit_code == 2
    assert "turtle" in result.output


def test_installed_resources_are_found(tmp_path: Path) -> None:
    """A wheel ships data/ ontology/ shapes/ metadata/ as ngo_ld/_resources/."""
    from ngo_ld.config import default_home

    home = default_home()
    assert (home / "data").is_dir() and (home / "shapes").is_dir()
    shutil.copytree(home / "data", tmp_path / "data")  # a maintainer's copy is readable
    assert any((tmp_path / "data").rglob("*.ttl"))


def test_serve_on_a_taken_port_says_so_in_one_line(tmp_path: Path) -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(cli, ["--home", str(ROOT), "serve", "--port", str(port)])
    assert result.exit_code == 2
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr
    assert "--port" in result.stderr
    assert "Traceback" not in result.output + result.stderr


@pytest.mark.parametrize("files,status,expected", [
    ({"broken": BROKEN}, 2, "broken.ttl:4"),  # does not parse: file and line
    ({"bad": MISSING_LABEL}, 1, "ngo:svet-reci"),  # does not conform: the report
])
def test_serve_refuses_bad_data_with_what_the_validating_child_found(
    tmp_path: Path, files: dict[str, str], status: int, expected: str
) -> None:
    """`serve` validates in a child process; what the child found comes back whole."""
    import socket

    home = _home(tmp_path, **files)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = CliRunner().invoke(cli, ["--home", str(home), "serve", "--port", str(port)],
                                env={"NGO_LD_CACHE_DIR": str(tmp_path / "cache")})
    assert result.exit_code == status
    assert expected in result.stderr
    assert "Traceback" not in result.output + result.stderr


def test_a_granian_worker_freezes_its_start_up_heap(tmp_path: Path) -> None:
    """p99 (issue 5): a full garbage collection must not walk what start-up built."""
    import os
    import subprocess
    import sys

    script = ("import gc\n"
              "from ngo_ld.server import worker_app\n"
              "from ngo_ld.web.sparql import shut_down\n"
              "app = worker_app()\n"
              "print(gc.get_freeze_count(), len(gc.get_objects()))\n"
              "shut_down(app)\n")
    env = {**os.environ, "NGO_LD_HOME": str(ROOT), "NGO_LD_VALIDATE_ON_START": "false",
           "NGO_LD_CACHE_DIR": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                          text=True, timeout=120, check=True)
    frozen, tracked = map(int, done.stdout.split())
    assert frozen > 10_000
    assert tracked < frozen / 10


def test_another_base_iri_is_refused_with_the_reason() -> None:
    result = CliRunner().invoke(cli, ["validate"],
                                env={"NGO_LD_BASE_IRI": "https://example.org/"})
    assert result.exit_code == 2
    assert "base IRI is fixed at https://w3id.org/ngo-ld/" in result.output
    assert "Traceback" not in result.output


# ---------------------------------------------------------------------------------------
# Which folder is checked, options on either side, FILEs with the data as context
# ---------------------------------------------------------------------------------------

def _copy_of_repository(tmp_path: Path) -> Path:
    copy = tmp_path / "copy"
    for folder in ("data", "ontology", "shapes"):
        shutil.copytree(ROOT / folder, copy / folder)
    return copy


def test_validate_checks_the_copy_around_the_working_directory(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = _home(tmp_path, bad=MISSING_LABEL)
    monkeypatch.chdir(home / "data")
    result = CliRunner().invoke(cli, ["validate"], env={"NGO_LD_HOME": None})
    assert result.exit_code == 1, result.output
    first = result.stdout.splitlines()[0]
    assert str(home) in first and "working directory" in first
    assert "ngo:svet-reci" in result.stdout


@pytest.mark.parametrize("where", ["before", "after", "env"])
def test_the_first_line_names_the_folder_however_it_was_given(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str) -> None:
    home = _home(tmp_path, good=GOOD)
    monkeypatch.chdir(tmp_path.parent)  # not inside any copy
    args = {"before": ["--home", str(home), "validate"],
            "after": ["validate", "--home", str(home)], "env": ["validate"]}[where]
    env = {"NGO_LD_HOME": str(home) if where == "env" else None}
    result = CliRunner().invoke(cli, args, env=env)
    assert result.exit_code == 0, result.output
    first = result.stdout.splitlines()[0]
    assert first.startswith("Validating ") and str(home) in first
    assert ("NGO_LD_HOME" if where == "env" else "--home") in first


def test_home_after_the_command_wins_over_home_before(tmp_path: Path) -> None:
    (tmp_path / "good").mkdir()
    (tmp_path / "bad").mkdir()
    good = _home(tmp_path / "good", good=GOOD)
    bad = _home(tmp_path / "bad", bad=MISSING_LABEL)
    result = CliRunner().invoke(cli, ["--home", str(good), "validate", "--home", str(bad)])
    assert result.exit_code == 1
    assert str(bad) in result.stdout.splitlines()[0]


@pytest.mark.parametrize("command", [["export", "--format", "ntriples"], ["synth",
                                     "--triples", "10", "-o", "OUT"], ["validate"]])
def test_every_command_takes_home_after_it(tmp_path: Path, command: list[str]) -> None:
    home = _home(tmp_path, good=GOOD)
    command = [str(tmp_path / "out") if a == "OUT" else a for a in command]
    result = CliRunner().invoke(cli, [*command, "--home", str(home)])
    assert result.exit_code == 0, result.output
    if command[0] == "export":
        assert "zora" in result.stdout


def test_serve_takes_home_after_it_and_refuses_invalid_data(tmp_path: Path) -> None:
    import socket

    home = _home(tmp_path, bad=MISSING_LABEL)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = CliRunner().invoke(cli, ["serve", "--home", str(home), "--port", str(port)],
                                env={"NGO_LD_CACHE_DIR": str(tmp_path / "cache")})
    assert result.exit_code == 1
    assert "ngo:svet-reci" in result.stderr
    assert "refusing to serve" in result.stderr
    # The verdict was reached by the fast engine and is remembered for this data version.
    (remembered,) = (tmp_path / "cache").glob("validation-*.json")
    assert json.loads(remembered.read_text(encoding="utf-8"))["engine"] == "oxigraph"


def test_validate_one_file_uses_the_rest_of_the_data_as_context(tmp_path: Path) -> None:
    """The maintainer's guide's command: no false violations from references elsewhere."""
    copy = _copy_of_repository(tmp_path)
    for path in sorted((copy / "data").rglob("*.ttl")):
        result = CliRunner().invoke(cli, ["validate", str(path)], env={"NGO_LD_HOME": None})
        assert result.exit_code == 0, (path, result.output)
        assert str(copy) in result.stdout.splitlines()[0]


def test_validate_a_file_reports_its_own_faults_with_file_and_line(tmp_path: Path) -> None:
    import re

    copy = _copy_of_repository(tmp_path)
    dated = next(p for p in sorted((copy / "data").rglob("*.ttl"))
                 if re.search(r'"\d{4}-\d{2}"\^\^xsd:gYearMonth', p.read_text("utf-8")))
    text = dated.read_text(encoding="utf-8")
    dated.write_text(re.sub(r'"\d{4}-\d{2}"\^\^xsd:gYearMonth', '"April 2014"^^xsd:gYearMonth',
                            text, count=1), encoding="utf-8")
    other = next(p for p in sorted((copy / "data").rglob("*.ttl")) if p != dated)
    broken = '\nngo:zz-broken skos:prefLabel "a"@en , "b"@en .\n'
    other.write_text(other.read_text("utf-8") + broken, encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", "--home", str(copy), str(dated)])
    assert result.exit_code == 1, result.output
    assert '"April 2014"^^xsd:gYearMonth' in result.stdout
    assert "zz-broken" not in result.stdout  # another file's fault is not this file's
    where = re.search(rf"{re.escape(str(dated.relative_to(copy)))}:(\d+): Violation",
                      result.stdout)
    assert where, result.stdout
    focus = re.search(r"focus node: (\S+)", result.stdout).group(1)
    line = dated.read_text("utf-8").splitlines()[int(where.group(1)) - 1]
    assert line.startswith(focus)
    # The whole copy, validated, reports both.
    whole = CliRunner().invoke(cli, ["validate", "--home", str(copy)])
    assert whole.exit_code == 1 and "zz-broken" in whole.stdout and "April 2014" in whole.stdout


@pytest.mark.parametrize("stated", [None, '"3 December 2026"', '"2026-12-03"',
                                    '"2026-13-03"^^xsd:date', '"3 December 2026"^^xsd:dateTime'])
def test_the_day_the_data_last_changed_must_be_stated_as_a_date(
        tmp_path: Path, stated: str | None) -> None:
    """metadata/ is validated with the data: the server sends its dcterms:modified."""
    import re

    copy = _copy_of_repository(tmp_path)
    shutil.copytree(ROOT / "metadata", copy / "metadata")
    metadata = copy / "metadata" / "dataset.ttl"
    text, n = re.subn(r'\n    dcterms:modified "[^"]*"\^\^xsd:date ;',
                      "" if stated is None else f"\n    dcterms:modified {stated} ;",
                      metadata.read_text(encoding="utf-8"))
    assert n == 1
    metadata.write_text(text, encoding="utf-8")
    for named in ([], [str(metadata)]):
        result = CliRunner().invoke(cli, ["validate", "--home", str(copy), *named])
        assert result.exit_code == 1, result.output
        assert re.search(r"metadata/dataset\.ttl:\d+: Violation", result.stdout), result.stdout
        assert "dcterms:modified" in result.stdout and "ngo:dataset" in result.stdout


def test_a_dangling_reference_is_reported_for_the_file_that_makes_it(tmp_path: Path) -> None:
    copy = _copy_of_repository(tmp_path)
    extra = copy / "data" / "extra.ttl"
    extra.write_text(
        "@prefix ngo: <https://w3id.org/ngo-ld/id/> .\n"
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        "ngo:astra skos:related ngo:no-such-thing .\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", "--home", str(copy), str(extra)])
    assert result.exit_code == 1, result.output
    assert "ngo:no-such-thing" in result.stdout
    assert "data/extra.ttl:3: Violation" in result.stdout  # the line that mentions it


def test_validate_with_the_reference_engine_gives_the_same_verdict(tmp_path: Path) -> None:
    home = _home(tmp_path, bad=MISSING_LABEL)
    fast = CliRunner().invoke(cli, ["validate", "--home", str(home), "--format", "json"])
    reference = CliRunner().invoke(cli, ["validate", "--home", str(home), "--format", "json",
                                         "--engine", "pyshacl"])
    assert fast.exit_code == reference.exit_code == 1
    drop = ("seconds", "ran_at", "engine")
    one, two = json.loads(fast.stdout), json.loads(reference.stdout)
    assert {k: v for k, v in one.items() if k not in drop} == \
        {k: v for k, v in two.items() if k not in drop}


# ---------------------------------------------------------------------------------------
# Named files and folders are checked before any work; options before the command
# ---------------------------------------------------------------------------------------

def test_validate_a_folder_reports_what_concerns_its_files(tmp_path: Path) -> None:
    copy = _copy_of_repository(tmp_path)
    organisations = copy / "data" / "organisations.ttl"
    organisations.write_text(organisations.read_text("utf-8")
                             + '\nngo:zz-broken skos:prefLabel "a"@en , "b"@en .\n',
                             encoding="utf-8")
    collaborations = CliRunner().invoke(cli, ["validate", str(copy / "data" / "collaborations")],
                                        env={"NGO_LD_HOME": None})
    assert collaborations.exit_code == 0, collaborations.output
    first = collaborations.stdout.splitlines()[0]
    assert "collaborations" in first and str(copy) in first
    assert "Conforms: 9 files checked" in collaborations.stdout
    data = CliRunner().invoke(cli, ["validate", "--home", str(copy), str(copy / "data")])
    assert data.exit_code == 1, data.output
    assert "data/organisations.ttl" in data.stdout and "zz-broken" in data.stdout


def test_validate_a_folder_without_rdf_files_says_what_to_pass(tmp_path: Path) -> None:
    home = _home(tmp_path, good=GOOD)
    (home / "empty").mkdir()
    result = CliRunner().invoke(cli, ["validate", "--home", str(home), str(home / "empty")])
    assert result.exit_code == 2
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert "empty" in line and "no RDF files" in line and ".ttl" in line


def test_validate_the_repository_folder_itself_says_what_to_run(tmp_path: Path) -> None:
    copy = _copy_of_repository(tmp_path)
    result = CliRunner().invoke(cli, ["validate", str(copy)], env={"NGO_LD_HOME": None})
    assert result.exit_code == 2
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert "copy of the repository" in line and f"--home {copy}" in line


@pytest.mark.parametrize("output_format", ["text", "json"])
def test_validate_missing_file_is_one_error_line_before_anything_else(
        tmp_path: Path, output_format: str) -> None:
    home = _home(tmp_path, good=GOOD)
    result = CliRunner().invoke(cli, ["validate", "--home", str(home), "--format",
                                      output_format, str(home / "data" / "good.ttl"),
                                      "nonexist.ttl"])
    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()
    assert line.startswith("error: nonexist.ttl: ") and "no such file" in line
    if output_format == "json":
        assert json.loads(result.stdout)["error"] in line
    else:
        assert result.stdout == ""


def test_validate_a_file_of_unknown_type_is_refused_before_anything_else(
        tmp_path: Path) -> None:
    home = _home(tmp_path, good=GOOD)
    notes = home / "data" / "notes.txt"
    notes.write_text("not RDF", encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", "--home", str(home), str(notes)])
    assert result.exit_code == 2
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert "notes.txt" in line and ".ttl" in line


@pytest.mark.parametrize("before", [["--format", "json"], ["--format=json"],
                                    ["--engine", "pyshacl", "--format", "json"]])
def test_validate_options_work_before_the_command(tmp_path: Path, before: list[str]) -> None:
    home = _home(tmp_path, bad=MISSING_LABEL)
    result = CliRunner().invoke(cli, [*before, "--home", str(home), "validate"])
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    assert report["violations"] == 1
    assert report["engine"] == ("pyshacl" if "pyshacl" in before else "oxigraph")


def test_an_option_after_the_command_wins_over_the_same_before(tmp_path: Path) -> None:
    home = _home(tmp_path, bad=MISSING_LABEL)
    result = CliRunner().invoke(cli, ["--format", "text", "--engine", "pyshacl", "validate",
                                      "--home", str(home), "--format", "json"])
    assert result.exit_code == 1, result.output
    assert json.loads(result.stdout)["engine"] == "pyshacl"


def test_an_option_of_another_command_before_it_is_refused_by_name() -> None:
    result = CliRunner().invoke(cli, ["--engine", "pyshacl", "export"], prog_name="ngo-ld")
    assert result.exit_code == 2
    assert "No such option '--engine'" in result.output and "ngo-ld export" in result.output


def test_serve_options_work_before_the_command() -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.2", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(cli, ["--host", "127.0.0.2", "--port", str(port),
                                          "--store", "memory", "--workers", "1",
                                          "--home", str(ROOT), "serve"])
    assert result.exit_code == 2, result.output
    assert f"cannot listen on 127.0.0.2:{port}" in result.stderr


def _parsed(args: list[str]) -> tuple[str, dict[str, object]]:
    """The command and the parameters that ``ngo-ld ARGS`` gives it, without running it:
    the same group and options, with commands that return their parameters."""
    from ngo_ld.cli import OptionsEitherSide

    def recorder(name: str) -> click.Command:
        return click.Command(name, params=cli.commands[name].params,
                             callback=lambda **params: (name, params))

    group = OptionsEitherSide(commands={n: recorder(n) for n in cli.commands},
                              params=cli.params, context_settings=cli.context_settings)
    return group.main(list(args), "ngo-ld", standalone_mode=False)


def _every_option() -> list[tuple[str, click.Option]]:
    return [(name, option) for name, command in sorted(cli.commands.items())
            for option in command.params if isinstance(option, click.Option)
            and option.expose_value]  # --home, not a parameter, has tests of its own


@pytest.mark.parametrize("name,option", _every_option(),
                         ids=lambda x: x if isinstance(x, str) else x.opts[-1])
def test_every_option_of_every_command_works_before_it(name: str,
                                                       option: click.Option) -> None:
    """Each option is parsed to the same value whichever side of the command it stands."""
    if option.is_flag:
        given = [option.opts[-1]]
    else:
        choices = getattr(option.type, "choices", None)
        value = str(list(choices)[-1]) if choices else "7" if isinstance(
            option.type, click.types._NumberParamTypeBase) else "X"
        given = [option.opts[-1], value]
    required = [a for o in cli.commands[name].params if isinstance(o, click.Option)
                and o.required and o is not option for a in (o.opts[-1], "9")]
    after = _parsed([name, *given, *required])
    before = _parsed([*given, name, *required])
    assert before == after
    assert after[1][option.name] != option.default  # the option really was given
