"""The command line's surface: plain-text help everywhere, -v/-q on every command, messages
through the foedus logger, listings that fit a terminal."""
from __future__ import annotations

import io
import logging
import re

import pytest

from foedus import progress
from foedus._cli_log import CLIFormatter, cli_logging
from foedus.cli import build_parser, main, plain, walk

PATHS = [path for path, _ in walk(build_parser())]


def test_walk_reaches_every_subcommand():
    assert {(), ("data",), ("data", "list"), ("config", "show"), ("config", "path"),
            ("cache", "clear"), ("replicate",), ("multiverse",)} <= set(PATHS)


@pytest.mark.parametrize("path", PATHS, ids=lambda p: " ".join(p) or "foedus")
def test_help_is_plain_text_and_offers_v_and_q(path, capsys):
    with pytest.raises(SystemExit) as info:
        main([*path, "--help"])
    assert info.value.code == 0
    text = capsys.readouterr().out
    assert "`" not in text, "reStructuredText backticks in --help"
    assert not re.search(r":[a-z]+:`|\.\. \w+::", text), "reStructuredText roles in --help"
    assert "-v, --verbose" in text and "-q, --quiet" in text


def test_plain_removes_roles_and_literals():
    assert plain("see :func:`~foedus.replication.pipeline.replicate` and ``FOEDUS_CACHE``") == \
        "see replicate and FOEDUS_CACHE"
    assert plain("the :ref:`caching page <caching>`; run `foedus data add`; example::") == \
        "the caching page; run foedus data add; example:"


@pytest.mark.parametrize("argv, verbose, quiet", [
    (["data", "list"], 0, False),
    (["-q", "data", "list"], 0, True),
    (["data", "list", "-q"], 0, True),
    (["data", "list", "--verbose"], 1, False),
    (["-v", "cache", "info"], 1, False),
    (["-q", "multiverse", "x"], 0, True),  # multiverse's own -q keeps the top-level value
    (["multiverse", "x", "-q"], 0, True),
    (["replicate", "leeds_2003", "-q"], 0, True),
])
def test_v_and_q_before_or_after_the_command(argv, verbose, quiet):
    args = build_parser().parse_args(argv)
    assert (args.verbose, args.quiet) == (verbose, quiet)


def test_messages_follow_the_level_and_leave_no_trace(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("FOEDUS_CACHE", str(tmp_path))
    logger = logging.getLogger("foedus")
    before = (logger.level, list(logger.handlers), progress.enabled())
    assert main(["cache", "clear"]) == 0
    assert capsys.readouterr().err.startswith("cleared hashes, parsed, panels, multiverse in ")
    assert main(["-q", "cache", "clear"]) == 0
    assert capsys.readouterr().err == ""
    assert (logger.level, list(logger.handlers), progress.enabled()) == before


def test_quiet_turns_the_progress_display_off_for_the_command():
    with cli_logging(quiet=True):
        out = io.StringIO()
        with progress.Progress(total=2, stream=out, interval=0) as bar:
            bar.advance(2)
        assert out.getvalue() == ""
    assert progress.enabled()


def test_the_formatter_says_what_kind_of_message():
    def fmt(level, msg, name="foedus.data.panel"):
        record = logging.LogRecord(name, level, __file__, 1, msg, None, None)
        return CLIFormatter("foedus data").format(record)

    assert fmt(logging.ERROR, "x.csv: bad\nfix it") == "foedus data: error: x.csv: bad\n  fix it"
    assert fmt(logging.WARNING, "careful") == "foedus data: warning: careful"
    assert fmt(logging.INFO, "wrote x") == "wrote x"
    assert fmt(logging.DEBUG, "step") == "[foedus.data.panel] step"


def test_verbose_shows_debug_messages(capsys):
    with cli_logging(verbose=1):
        logging.getLogger("foedus.data.panel").debug("universe: 10 dyad-years")
        logging.getLogger("foedus.data.panel").info("shown at every level but -q")
    assert capsys.readouterr().err.splitlines() == [
        "[foedus.data.panel] universe: 10 dyad-years", "shown at every level but -q"]
    with cli_logging():
        logging.getLogger("foedus.data.panel").debug("hidden")
    assert capsys.readouterr().err == ""


def test_data_list_lines_fit_in_100_characters_unless_wide(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("FOEDUS_DATA_DIR", str(tmp_path))
    assert main(["data", "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("data read from the offline folder")  # a path: never cut
    assert max(map(len, lines[1:])) <= 100
    assert any(ln.endswith("...") for ln in lines)
    assert main(["data", "list", "--wide"]) == 0
    wide = capsys.readouterr().out.splitlines()
    assert max(map(len, wide)) > 100 and not any(ln.endswith("...") for ln in wide)
    assert wide.index("") == lines.index("")  # the same rows, uncut
    assert "--wide shows them in full" in " ".join(lines) and "--wide" not in " ".join(wide)


def test_replicate_list_aligns_titles_for_long_names(capsys):
    assert main(["replicate", "--list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    from foedus.replication.registry import study_names

    column = max(map(len, study_names())) + 2
    assert all(len(ln) <= 100 for ln in lines)
    assert all(ln[column - 2:column] == "  " and ln[column] != " " for ln in lines)
    starts = [ln.split()[0] for ln in lines if not ln.startswith(" ")]
    assert starts == study_names()
