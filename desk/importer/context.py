"""What the stages of one import share: the source, the report, the options and what earlier stages learnt."""

from dataclasses import dataclass, field
from datetime import datetime

from desk.importer.files import FileCopier
from desk.importer.progress import Progress
from desk.importer.report import Report
from desk.importer.source import Source


@dataclass
class ImportContext:
    """State passed from stage to stage; only small per-table summaries, never a table's rows."""

    source: Source
    report: Report
    files: FileCopier
    progress_stream: object
    now: datetime
    superusers: frozenset = frozenset()
    # Staff ids of the source: few, and every ticket, branch and watcher checks against them.
    staff_ids: set = field(default_factory=set)
    # Branch id -> key as imported.
    branch_keys: dict = field(default_factory=dict)
    # Branch id -> the 2.x "next number" counter minus one.
    branch_counter_floor: dict = field(default_factory=dict)
    # Upper-cased branch key -> the highest number its history keys use.
    history_numbers: dict = field(default_factory=dict)
    # Rows left out whose dependants must be left out too; only the few the importer itself drops.
    skipped_tickets: set = field(default_factory=set)
    skipped_comments: set = field(default_factory=set)

    @property
    def layout(self):
        return self.source.layout

    def progress(self, label, table):
        """A progress bar for a stage that reads `table`."""
        return Progress(self.progress_stream, label, self.source.count(table))
