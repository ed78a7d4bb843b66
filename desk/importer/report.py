"""What an import did: rows per table, and every kind of case it met, counted, with the first examples."""

from dataclasses import dataclass, field

# Examples kept per case; the count is always complete.
EXAMPLES = 20


@dataclass
class Case:
    """One kind of case in one table: how often it happened and the first few instances."""

    count: int = 0
    examples: list = field(default_factory=list)

    def add(self, example):
        self.count += 1
        if example is not None and len(self.examples) < EXAMPLES:
            self.examples.append(str(example))


# Headings in the order the report prints them.
SECTIONS = {
    "skipped": "Rows skipped",
    "changed": "Keys, numbers and values that clashed or were changed",
    "missing": "Files missing",
    "placeholder": "Placeholders for people the data names but the original no longer holds",
    "note": "Notes",
}


class Report:
    """Collects what the import did; `render()` gives the text the command prints."""

    def __init__(self):
        self.version = None
        self.dry_run = False
        self.imported = {}
        self.cases = {section: {} for section in SECTIONS}

    def count(self, table, rows=1):
        self.imported[table] = self.imported.get(table, 0) + rows

    def _case(self, section, table, reason):
        return self.cases[section].setdefault((table, reason), Case())

    def skip(self, table, reason, example=None):
        self._case("skipped", table, reason).add(example)

    def change(self, table, reason, example=None):
        self._case("changed", table, reason).add(example)

    def missing_file(self, table, reason, example=None):
        self._case("missing", table, reason).add(example)

    def placeholder(self, table, reason, example=None):
        self._case("placeholder", table, reason).add(example)

    def note(self, table, reason, example=None):
        self._case("note", table, reason).add(example)

    def total(self, section, table=None):
        """How many cases a section holds, for one table or all."""
        return sum(case.count for (name, _), case in self.cases[section].items() if table in (None, name))

    def render(self):
        mode = " (dry run: nothing was written)" if self.dry_run else ""
        lines = [f"DiamanteDesk {self.version} import report{mode}", "", "Rows imported"]
        width = max((len(table) for table in self.imported), default=0)
        lines += [f"  {table:<{width}}  {rows:>9}" for table, rows in self.imported.items()]
        for section, heading in SECTIONS.items():
            cases = self.cases[section]
            lines += ["", f"{heading}: {sum(case.count for case in cases.values()) or 'none'}"]
            for (table, reason), case in cases.items():
                lines.append(f"  {table}: {reason}: {case.count}")
                lines += [f"    {example}" for example in case.examples]
                if case.count > len(case.examples) and case.examples:
                    lines.append(f"    ... and {case.count - len(case.examples)} more")
        return "\n".join(lines) + "\n"
