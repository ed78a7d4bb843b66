"""Batched inserts that keep every value as given: COPY on PostgreSQL, executemany elsewhere."""

# The ORM's bulk_create would stamp `auto_now` fields with the time of the import; the original's timestamps
# must survive, so rows go in through the model's own column definitions but not its save logic.

from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.utils import timezone

BATCH_ROWS = 5000
# Field types whose values (int, str, bool, None) every driver takes as they are.
PASSTHROUGH = {
    "AutoField",
    "BigAutoField",
    "IntegerField",
    "BigIntegerField",
    "PositiveIntegerField",
    "PositiveBigIntegerField",
    "CharField",
    "TextField",
    "EmailField",
    "BooleanField",
    "ForeignKey",
    "FileField",
}
# COPY also takes aware datetimes as they are.
COPY_PASSTHROUGH = {"DateTimeField"}


class BulkWriter:
    """Buffers rows for one model's columns and writes them in batches on the default connection."""

    def __init__(self, model, attnames, batch_rows=BATCH_ROWS):
        self.model = model
        given = [model._meta.get_field(_field_name(model, name)) for name in attnames]
        # Columns a stage does not give take their model default (an auto_now one, the import's time), so
        # a field added to a model later does not break the import.
        self.defaulted = [
            field for field in model._meta.concrete_fields if field not in given and not field.primary_key
        ]
        self.defaults = tuple(_default(field) for field in self.defaulted)
        self.fields = given + self.defaulted
        self.batch_rows = batch_rows
        self.connection = connections[DEFAULT_DB_ALIAS]
        # Preparing every value through its field costs more than the rest of the import; only the types
        # whose Python value the database driver does not take as it is need it.
        passthrough = PASSTHROUGH | (COPY_PASSTHROUGH if self.connection.vendor == "postgresql" else set())
        self.prepared_fields = [
            (index, field)
            for index, field in enumerate(self.fields)
            if field.get_internal_type() not in passthrough
        ]
        self.pending = []
        self.written = 0
        quote = connection.ops.quote_name
        self.table = quote(model._meta.db_table)
        self.columns = ", ".join(quote(field.column) for field in self.fields)
        self.use_copy = self.connection.vendor == "postgresql"

    def add(self, *values):
        """Queue one row, values in the order of `attnames`; writes a batch when enough are queued."""
        self.pending.append(values + self.defaults)
        if len(self.pending) >= self.batch_rows:
            self.flush()

    def flush(self):
        if not self.pending:
            return
        prepared = [self._prepare(row) for row in self.pending]
        with self.connection.cursor() as cursor:
            if self.use_copy:
                with cursor.cursor.copy(f"COPY {self.table} ({self.columns}) FROM STDIN") as copy:
                    for row in prepared:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(self.fields))
                cursor.executemany(f"INSERT INTO {self.table} ({self.columns}) VALUES ({marks})", prepared)
        self.written += len(self.pending)
        self.pending = []

    def _prepare(self, row):
        if not self.prepared_fields:
            return row
        row = list(row)
        for index, field in self.prepared_fields:
            row[index] = field.get_db_prep_save(row[index], self.connection)
        return row


def _field_name(model, attname):
    """The field behind a column attribute name (`branch_id` is the field `branch`)."""
    for field in model._meta.concrete_fields:
        if field.attname == attname:
            return field.name
    raise LookupError(f"{model.__name__} has no column {attname}")


def _default(field):
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return timezone.now()
    return field.get_default()


def reset_sequences(models):
    """Move each model's id sequence past its largest id (PostgreSQL; SQLite's AUTOINCREMENT needs none)."""
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
