"""The command line's messages: one handler on the ``foedus`` logger, its level set by -v/-q.

The library only logs (``logging.getLogger("foedus.data.panel")`` and so on, with a
``NullHandler`` on ``foedus``, as the logging HOWTO asks of libraries); the command line installs
the one formatter here for the time of a command. Levels: ``-q`` warnings and errors only (and no
progress display), the default adds what a command did (info), ``-v`` adds the details (debug).
"""
from __future__ import annotations

import contextlib
import logging
import sys
from collections.abc import Iterator

#: ``-q`` / default / ``-v``
QUIET, NORMAL, VERBOSE = logging.WARNING, logging.INFO, logging.DEBUG


def level(verbose: int = 0, quiet: bool = False) -> int:
    """The ``foedus`` logger's level for the given flags (``-q`` wins over ``-v``)."""
    return QUIET if quiet else VERBOSE if verbose else NORMAL


class CLIFormatter(logging.Formatter):
    """``prog: error: ...`` and ``prog: warning: ...``; info as is; debug with its module.

    Continuation lines of a message are indented by two spaces.
    """

    def __init__(self, prog: str = "foedus"):
        super().__init__()
        self.prog = prog

    def format(self, record: logging.LogRecord) -> str:
        text = record.getMessage()
        if record.exc_info:
            text = f"{text}\n{self.formatException(record.exc_info)}"
        first, *rest = text.splitlines() or [""]
        if record.levelno >= logging.ERROR:
            first = f"{self.prog}: error: {first}"
        elif record.levelno >= logging.WARNING:
            first = f"{self.prog}: warning: {first}"
        elif record.levelno < logging.INFO:
            first = f"[{record.name}] {first}"
        return "\n".join([first, *(ln if ln.startswith("  ") else f"  {ln}" for ln in rest)])


class StderrHandler(logging.Handler):
    """Writes to the current ``sys.stderr``, above a progress bar if one is drawn."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = self.format(record)
            tqdm = sys.modules.get("tqdm")  # a bar can be on screen only once tqdm is imported
            if tqdm is not None:
                tqdm.tqdm.write(text, file=sys.stderr)
            else:
                sys.stderr.write(text + "\n")
                sys.stderr.flush()
        except Exception:  # noqa: BLE001 - logging's own contract: report, never raise
            self.handleError(record)


@contextlib.contextmanager
def cli_logging(verbose: int = 0, quiet: bool = False, prog: str = "foedus") -> Iterator[None]:
    """Show foedus's log messages on standard error for the duration of a command.

    The previous level, handlers and progress setting are restored on exit, so that a command
    run inside Python (``foedus.cli.main([...])``, tests) leaves no trace.
    """
    from foedus import progress

    logger = logging.getLogger("foedus")
    handler = StderrHandler()
    handler.setFormatter(CLIFormatter(prog))
    saved_level, saved_progress = logger.level, progress.enabled()
    logger.addHandler(handler)
    logger.setLevel(level(verbose, quiet))
    progress.set_enabled(not quiet)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(saved_level)
        progress.set_enabled(saved_progress)
