"""A progress bar per table: rows done, rate and time left, redrawn in place on a terminal."""

import time

from django.core.management.base import OutputWrapper

BAR_WIDTH = 24
# A terminal is redrawn at most this often; a log file gets one line per table.
REDRAW_SECONDS = 0.2


def _clock(seconds):
    seconds = int(seconds)
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


class Progress:
    """Progress through one table of `total` rows, written to `stream`."""

    def __init__(self, stream, table, total):
        self.stream, self.table, self.total = stream, table, total or 0
        self.done = 0
        self.started = self.drawn = time.monotonic()
        self.live = bool(getattr(stream, "isatty", lambda: False)())

    def advance(self, rows=1):
        self.done += rows
        if not self.live:
            return
        now = time.monotonic()
        if now - self.drawn >= REDRAW_SECONDS:
            self.drawn = now
            self._write("\r" + self.line(now))

    def line(self, now=None):
        elapsed = max((now or time.monotonic()) - self.started, 1e-6)
        rate = self.done / elapsed
        share = min(self.done / self.total, 1.0) if self.total else 1.0
        bar = "#" * round(share * BAR_WIDTH)
        left = (self.total - self.done) / rate if rate and self.total > self.done else 0
        return (
            f"{self.table:<20} [{bar:<{BAR_WIDTH}}] {self.done:>9}/{self.total:<9} "
            f"{rate:>9.0f} rows/s  {_clock(elapsed)} elapsed  {_clock(left)} left"
        )

    def finish(self):
        self._write(("\r" if self.live else "") + self.line() + "\n")

    def _write(self, text):
        # A management command's OutputWrapper would end every redraw with a newline and colour it.
        if isinstance(self.stream, OutputWrapper):
            self.stream.write(text, style_func=str, ending="")
        else:
            self.stream.write(text)
        self.stream.flush()
