"""The progress display: plain lines off a terminal, a redrawn bar on one, nothing when off."""

import io

import pytest

from foedus import progress as progress_module
from foedus.progress import Progress


class _Terminal(io.StringIO):
    def isatty(self):
        return True


def _lines(stream):
    return stream.getvalue().splitlines()


def test_plain_lines_have_counts_percent_and_time_left():
    out = io.StringIO()
    with Progress(total=4, label="multiverse", unit="fits", stream=out, interval=0) as bar:
        for i in range(4):
            bar.advance(1, note=f"logit / MID 5.0 #{i}")
    lines = _lines(out)
    assert len(lines) == 4  # one per step, the last not repeated by close()
    assert lines[0].startswith("multiverse: 1/4 fits (25%), ")
    assert lines[0].endswith(" · logit / MID 5.0 #0")
    assert lines[-1].startswith("multiverse: 4/4 fits (100%), ")
    assert all(" elapsed, " in line and " left" in line for line in lines)
    assert not any(c in out.getvalue() for c in "\r\x1b")  # no control characters


def test_plain_lines_are_periodic_and_the_last_step_always_shows():
    out = io.StringIO()
    with Progress(total=50, label="panel", unit="steps", stream=out, interval=3600) as bar:
        for _ in range(50):
            bar.advance()
    lines = _lines(out)
    assert len(lines) == 1 and lines[0].startswith("panel: 50/50 steps (100%)")


def test_close_writes_the_final_state_when_the_last_line_is_older():
    out = io.StringIO()
    with Progress(total=None, label="reading", unit="files", stream=out, interval=3600) as bar:
        bar.advance(2)
        bar.advance(1, note="cow/alliance_v4.1_by_dyad_yearly.csv")
    lines = _lines(out)
    assert lines == [lines[0]] and lines[0].startswith("reading: 3 files, ")
    assert "left" not in lines[0] and "%" not in lines[0]  # unknown length: no estimate
    assert lines[0].endswith(" · cow/alliance_v4.1_by_dyad_yearly.csv")


def test_time_left_follows_the_average_pace(monkeypatch):
    clock = iter([0.0, 0.0, 10.0, 10.0, 10.0])
    monkeypatch.setattr(progress_module.time, "perf_counter", lambda: next(clock))
    bar = Progress(total=5, label="fits", unit="fits", stream=io.StringIO())
    bar.start()
    bar.done = 2
    assert bar.remaining() == pytest.approx(15.0)  # 10 s for 2, so 15 s for the 3 left
    assert bar.status() == "fits: 2/5 fits (40%), 00:10 elapsed, 00:15 left"


def test_bytes_are_shown_in_decimal_multiples():
    out = io.StringIO()
    with Progress(total=2_500_000, label="atop5_1ddyr.csv", unit="B", stream=out,
                  interval=0) as bar:
        bar.update(2_500_000)
    assert _lines(out)[0].startswith("atop5_1ddyr.csv: 2.5 MB/2.5 MB (100%), ")


def test_pooch_progressbar_surface():
    # pooch sets ``total`` after opening, updates per chunk, then reset() + update(total) + close()
    out = io.StringIO()
    bar = Progress(label="f.csv", unit="B", stream=out, interval=3600)
    bar.total = 300
    for _ in range(3):
        bar.update(100)
    bar.reset()
    bar.update(300)
    bar.close()
    lines = _lines(out)
    assert len(lines) == 1 and lines[0].startswith("f.csv: 300 B/300 B (100%)")


def test_disabled_writes_nothing():
    out = io.StringIO()
    with Progress(total=3, label="x", stream=out, enabled=False, interval=0) as bar:
        bar.advance(3)
        bar.write("a message")
    assert out.getvalue() == ""


def test_set_enabled_switches_off_the_default(monkeypatch):
    monkeypatch.setattr(progress_module, "_ENABLED", True)
    progress_module.set_enabled(False)
    out = io.StringIO()
    with Progress(total=1, stream=out, interval=0) as bar:
        bar.advance()
    assert out.getvalue() == ""
    assert Progress(total=1, stream=out, enabled=True)._enabled  # an explicit choice wins


def test_terminal_redraws_one_line():
    out = _Terminal()
    with Progress(total=3, label="multiverse", unit="fits", stream=out) as bar:
        for _ in range(3):
            bar.advance(1, note="probit")
        bar.write("a message above the bar")
    text = out.getvalue()
    assert "\r" in text  # redrawn in place
    assert "3/3" in text and "probit" in text and "a message above the bar" in text


def test_echo_writes_a_line_unless_displays_are_off(monkeypatch, capsys):
    monkeypatch.setattr(progress_module, "_ENABLED", True)
    progress_module.echo("universe: 10 dyad-years")
    assert capsys.readouterr().err == "universe: 10 dyad-years\n"
    progress_module.set_enabled(False)
    progress_module.echo("hidden")
    assert capsys.readouterr().err == ""


def test_a_panel_builds_stages_are_shown_when_asked_else_debug(monkeypatch, capsys, caplog):
    import logging

    from foedus.data.panel import _progress

    monkeypatch.setattr(progress_module, "_ENABLED", True)
    with caplog.at_level(logging.DEBUG, logger="foedus.data.panel"):
        _progress(True, "alliances: done (0.10 s)")
        _progress(False, "disputes: done (0.20 s)")
    assert capsys.readouterr().err == "alliances: done (0.10 s)\n"
    assert [(r.name, r.levelno, r.getMessage()) for r in caplog.records] == [
        ("foedus.data.panel", logging.DEBUG, "disputes: done (0.20 s)")]
