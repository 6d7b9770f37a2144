"""One progress display for panel builds, fits, studies and downloads.

On a terminal the display is one line redrawn in place (a :mod:`tqdm` bar: count, rate, elapsed
and time left). When the stream is not a terminal (``make``, CI logs, a pipe) it writes plain
lines without control characters, at most one every ``interval`` seconds plus the last one, e.g.::

    multiverse: 12/40 fits (30%), 00:41 elapsed, 01:36 left · logit / MID 5.0

Progress goes to standard error only, never into a result file, so outputs stay byte-identical
whatever is displayed. ``foedus -q`` turns every display off (:func:`set_enabled`).

Examples
--------
>>> from foedus.progress import Progress
>>> with Progress(total=3, label="fits", unit="fits", enabled=False) as bar:
...     for name in ["logit", "probit", "relogit"]:
...         bar.advance(1, note=name)
"""

from __future__ import annotations

import sys
import time

__all__ = ["Progress", "echo", "enabled", "set_enabled"]

#: seconds between two plain lines when the stream is not a terminal
PLAIN_INTERVAL = 10.0

_ENABLED = True


def set_enabled(on: bool) -> None:
    """Turn every progress display on or off (the CLI's ``-q`` turns them off)."""
    global _ENABLED
    _ENABLED = bool(on)


def enabled() -> bool:
    """Whether progress displays are shown (those created with ``enabled=None``)."""
    return _ENABLED


def echo(message: str, stream=None) -> None:
    """One line of progress text on standard error (above a bar, if one is drawn); nothing when
    displays are off. For steps that have no count, such as a panel build's stages."""
    if not _ENABLED:
        return
    stream = stream if stream is not None else sys.stderr
    tqdm = sys.modules.get("tqdm")  # a bar can be on screen only once tqdm is imported
    if tqdm is not None:
        tqdm.tqdm.write(message, file=stream)
    else:
        print(message, file=stream, flush=True)


def _clock(seconds: float) -> str:
    """``mm:ss``, or ``h:mm:ss`` from one hour on (the format of tqdm's bar)."""
    s = int(round(seconds))
    h, rest = divmod(s, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m:02d}:{s:02d}"


def _amount(n: float, unit: str) -> str:
    if unit == "B":  # downloads: bytes in decimal multiples, as tqdm's unit_scale shows them
        for factor, prefix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
            if n >= factor:
                return f"{n / factor:.1f} {prefix}B"
        return f"{int(n)} B"
    return f"{int(n):,}" if float(n).is_integer() else f"{n:,.1f}"


class Progress:
    """A progress display: counts, elapsed time and time left, on standard error.

    Parameters
    ----------
    total : int, optional
        Number of steps; ``None`` when the length is unknown (then no percentage or time left).
    label : str
        What is progressing (``"multiverse"``, ``"panel"``, a file name).
    unit : str
        What one step is (``"fits"``, ``"steps"``); ``"B"`` shows bytes in kB/MB/GB.
    stream : file-like, optional
        Where to write; standard error when omitted (looked up when the display starts).
    enabled : bool, optional
        ``False`` shows nothing; ``None`` (the default) follows :func:`set_enabled`.
    interval : float, optional
        Plain mode only: the least number of seconds between two lines (``PLAIN_INTERVAL`` when
        omitted; ``0`` writes one line per :meth:`advance`). The last step always gets a line.

    Notes
    -----
    Use it as a context manager; :meth:`close` (called on exit) writes the final line. The object
    also has the ``total``/``update``/``reset``/``close`` surface of a tqdm bar, so it can be passed
    as pooch's ``progressbar``. Messages that must not break the bar go through :meth:`write`.
    """

    def __init__(self, total: int | None = None, label: str = "", unit: str = "it", stream=None,
                 *, enabled: bool | None = None, interval: float | None = None):
        self.total = total
        self.label = label
        self.unit = unit
        self.done = 0
        self.note = ""
        self._stream = stream
        self._enabled = _ENABLED if enabled is None else bool(enabled)
        self._interval = PLAIN_INTERVAL if interval is None else float(interval)
        self._t0 = time.perf_counter()
        self._last_line = None  # time of the last plain line
        self._shown = -1  # ``done`` at the last plain line
        self._bar = None
        self._started = False
        self._closed = False

    # -- lifecycle ---------------------------------------------------------------------------
    def __enter__(self) -> Progress:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def stream(self):
        return self._stream if self._stream is not None else sys.stderr

    @property
    def is_terminal(self) -> bool:
        isatty = getattr(self.stream, "isatty", None)
        try:
            return bool(isatty and isatty())
        except ValueError:  # a closed stream
            return False

    def start(self) -> Progress:
        """Start the clock (and, on a terminal, draw the bar); called by ``with``."""
        self._t0 = time.perf_counter()
        self._started, self._closed = True, False
        if self._enabled and self.is_terminal and self._bar is None:
            from tqdm import tqdm  # only on a terminal: keeps ``import foedus`` light

            self._bar = tqdm(total=self.total, desc=self.label or None, unit=self.unit,
                             unit_scale=self.unit == "B", file=self.stream, dynamic_ncols=True,
                             leave=True)
        return self

    def close(self) -> None:
        """End the display: the bar stays on screen, or the final plain line is written."""
        if self._closed:
            return
        self._closed = True
        if self._bar is not None:
            self._bar.close()
            self._bar = None
        elif self._enabled and self.done != self._shown and (self.done or self.total == 0):
            self._line()

    # -- progress ----------------------------------------------------------------------------
    def advance(self, n: float = 1, note: str | None = None) -> None:
        """Count ``n`` more steps done; ``note`` says what the last one was."""
        if not self._started:
            self.start()
        self.done += n
        if note is not None:
            self.note = note
        if not self._enabled:
            return
        if self._bar is not None:
            if note is not None:
                self._bar.set_postfix_str(note, refresh=False)
            self._bar.update(n)
            return
        now = time.perf_counter()
        last = self.total is not None and self.done >= self.total and self.done != self._shown
        since = now - (self._last_line if self._last_line is not None else self._t0)
        if last or since >= self._interval:
            self._line(now)

    def update(self, n: float = 1) -> None:
        """tqdm's name for :meth:`advance` without a note (pooch calls it per chunk, counting
        whole chunks: the count stops at ``total``)."""
        if self._bar is not None and self._bar.total != self.total:
            self._bar.total = self.total  # pooch sets ``total`` once it knows the file size
        if self.total:
            n = max(min(n, self.total - self.done), 0)
        self.advance(n)

    def reset(self) -> None:
        """Back to zero steps (pooch calls it before its final ``update(total)``, which then
        does not repeat the line already written for the same count)."""
        self.done = 0
        if self._bar is not None:
            self._bar.reset(total=self.total)

    def write(self, message: str) -> None:
        """Write a message on its own line without breaking the bar (nothing when disabled)."""
        if not self._enabled:
            return
        if self._bar is not None:
            self._bar.write(message, file=self.stream)
        else:
            print(message, file=self.stream, flush=True)

    def elapsed(self) -> float:
        """Seconds since the display started."""
        return time.perf_counter() - self._t0

    def remaining(self) -> float | None:
        """Estimated seconds left at the average pace so far (``None`` when unknown)."""
        if self.total is None or self.done <= 0:
            return None
        return self.elapsed() / self.done * max(self.total - self.done, 0)

    def status(self) -> str:
        """The plain line for the current state (without a trailing newline)."""
        head = f"{self.label}: " if self.label else ""
        unit = "" if self.unit == "B" else f" {self.unit}"
        if self.total is None:
            count = f"{_amount(self.done, self.unit)}{unit}"
        else:
            share = 100.0 * self.done / self.total if self.total else 100.0
            count = (f"{_amount(self.done, self.unit)}/{_amount(self.total, self.unit)}{unit} "
                     f"({share:.0f}%)")
        times = f"{_clock(self.elapsed())} elapsed"
        left = self.remaining()
        if left is not None:
            times += f", {_clock(left)} left"
        tail = f" · {self.note}" if self.note else ""
        return f"{head}{count}, {times}{tail}"

    def _line(self, now: float | None = None) -> None:
        print(self.status(), file=self.stream, flush=True)
        self._last_line = time.perf_counter() if now is None else now
        self._shown = self.done
