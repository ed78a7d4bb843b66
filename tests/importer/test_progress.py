"""The progress bar: redrawn in place on a terminal, one line per table in a log."""

import io

from django.core.management.base import OutputWrapper

from desk.importer import progress
from desk.importer.progress import Progress


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_a_log_gets_one_line_per_table():
    log = io.StringIO()
    bar = Progress(log, "tickets", 4)
    for _ in range(4):
        bar.advance()
    bar.finish()
    text = log.getvalue()
    assert text.count("\n") == 1 and "\r" not in text
    assert text.startswith("tickets ") and "[########################]" in text and "4/4" in text
    assert "rows/s" in text and "0:00:00 left" in text


def test_a_terminal_is_redrawn_in_place_through_a_command_stream(monkeypatch):
    monkeypatch.setattr(progress, "REDRAW_SECONDS", 0)
    terminal = Terminal()
    bar = Progress(OutputWrapper(terminal), "comments", 10)
    for _ in range(5):
        bar.advance()
    half = terminal.getvalue()
    assert half.count("\r") == 5 and "\n" not in half
    assert "[############            ]" in half.split("\r")[-1] and "5/10" in half
    bar.advance(5)
    bar.finish()
    assert terminal.getvalue().endswith("\n") and terminal.getvalue().count("\n") == 1
    assert "\x1b[" not in terminal.getvalue()


def test_time_left_from_the_rate():
    bar = Progress(io.StringIO(), "tickets", 1000)
    bar.done, bar.started = 100, 0.0
    # 100 rows in 10 s: 900 more take 90 s.
    assert "0:00:10 elapsed  0:01:30 left" in bar.line(now=10.0)
