"""The suite's findings: a check that passed or failed, with the figure behind it, printed as a table."""

import statistics
from collections import Counter
from dataclasses import dataclass


@dataclass
class Check:
    phase: str
    name: str
    passed: bool | None  # None: a figure, measured and not judged
    figure: str


class Report:
    """Checks in the order they ran; figures that are measured, not judged, go in with passed=None."""

    def __init__(self):
        self.checks = []

    def check(self, phase, name, passed, figure=""):
        self.checks.append(Check(phase, name, bool(passed), str(figure)))
        mark = "ok  " if passed else "FAIL"
        print(f"  {mark} {phase}: {name}  {figure}", flush=True)

    def figure(self, phase, name, figure):
        self.checks.append(Check(phase, name, None, str(figure)))
        print(f"       {phase}: {name}  {figure}", flush=True)

    @property
    def failed(self):
        return [check for check in self.checks if check.passed is False]

    def table(self):
        """A Markdown table of every check and figure, ready for docs/reliability.md."""
        rows = ["| phase | check | result | figure |", "|---|---|---|---|"]
        for check in self.checks:
            result = "" if check.passed is None else ("pass" if check.passed else "**FAIL**")
            rows.append(f"| {check.phase} | {check.name} | {result} | {check.figure} |")
        return "\n".join(rows)


def statuses(answers):
    """`201×980 502×3`: how many answers had each status (0: the connection failed)."""
    counts = Counter(answer.status for answer in answers)
    return " ".join(f"{status}×{count}" for status, count in sorted(counts.items())) or "none"


def latency(answers):
    """Median and 95th percentile time of the answers, in milliseconds."""
    times = sorted(answer.elapsed for answer in answers)
    if not times:
        return "no requests"
    p95 = times[max(0, int(len(times) * 0.95) - 1)]
    return f"p50 {statistics.median(times) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms"
