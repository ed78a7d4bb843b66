"""Public handles of the original (download hashes, tickets' unique ids): kept, unless malformed or taken."""


class KeptHandles:
    """Keeps each row's handle as the original had it, so old links and e-mails still match.

    A malformed handle, or the later row of one the source holds twice (the lower id keeps it), gets a
    new one from `renew`, and the report says so under `table`.
    """

    def __init__(self, ctx, *, table, source, column, pattern, renew, malformed):
        self.report, self.table, self.column = ctx.report, table, column
        self.pattern, self.renew, self.malformed = pattern, renew, malformed
        rows = ctx.source.rows(f"SELECT {column} FROM {source} GROUP BY {column} HAVING COUNT(*) > 1")
        self.duplicated = {value for (value,) in rows}
        self.seen = set()

    def keep(self, row_id, value):
        """The handle the row gets here."""
        if not self.pattern.fullmatch(value or ""):
            fresh = self.renew()
            self.report.change(self.table, self.malformed, f"{row_id}: {value!r} -> {fresh}")
            return fresh
        if value in self.duplicated:
            if value in self.seen:
                fresh = self.renew()
                reason = f"duplicate {self.column}: the lower id keeps it, this one gets a new one"
                self.report.change(self.table, reason, f"{row_id}: {value} -> {fresh}")
                return fresh
            self.seen.add(value)
        return value
