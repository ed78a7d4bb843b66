"""Bulk demo data for benchmarks: branches, customers, tickets and comments by the million."""

import itertools
import random
import time
from datetime import UTC, datetime, timedelta

from django.core.management.color import no_style
from django.db import connection
from django.db.models import Max

from desk.branches.models import Branch
from desk.comments.models import Comment
from desk.importer.progress import Progress
from desk.tickets.models import Priority, Source, Status, Ticket
from desk.users.models import Customer

BATCH = 20_000
# Above this many new rows the table's plain indexes are dropped and rebuilt around the load, in the same
# transaction: one sorted build is several times faster than a million index insertions.
REBUILD_INDEXES_AT = 100_000
DEPARTMENTS = [
    "Support", "Sales", "Billing", "Shipping", "Returns", "Hardware",
    "Software", "Accounts", "Partners", "Warranty", "Repairs", "Onboarding",
]  # fmt: skip
# Every branch draws its subjects from a few of these topics, so a topic word matches a few percent of rows.
TOPICS = [
    "refund", "warranty", "invoice", "delivery", "password", "login", "shipping", "discount",
    "battery", "screen", "charger", "subscription", "upgrade", "cancellation", "exchange", "voucher",
    "installation", "firmware", "license", "backup", "printer", "router", "keyboard", "camera",
    "payment", "receipt", "address", "tracking", "damage", "replacement", "quote", "contract",
    "account", "profile", "email", "newsletter", "coupon", "order", "parcel", "manual",
]  # fmt: skip
TOPICS_PER_BRANCH = 8
PHRASES = [
    "{t} not working since yesterday", "question about my {t}", "{t} still missing", "problem with the {t}",
    "need help with {t}", "{t} request for order {n}", "urgent: {t} issue", "follow-up on {t}",
]  # fmt: skip
SENTENCES = [
    "Our {t} has been a problem for {n} days.", "Could you look into the {t} on order {n}?",
    "The {t} page shows an error when I try again.", "I was promised a {t} update last week.",
    "Please call me back about the {t}.", "We bought {n} units and the {t} is wrong on each.",
]  # fmt: skip
REPLIES = [
    "Thanks, we are looking into it.", "Could you send us the order number?", "This is fixed now.",
    "Forwarded to the team that handles this.", "We have sent a replacement.", "Any update on this?",
]  # fmt: skip
STATUSES = [choice.value for choice in Status]
PRIORITIES = [choice.value for choice in Priority]
SOURCES = [choice.value for choice in Source]
TWO_YEARS = 2 * 365 * 24 * 3600


def branch_key(index):
    """DEPA, DEPB, ... DEPZ, DEPBA, ...: letters only, as branch keys must be."""
    letters = ""
    while True:
        index, rest = divmod(index, 26)
        letters = chr(ord("A") + rest) + letters
        if index == 0:
            return "DEP" + letters


def scale_branches(count, admin):
    """The benchmark branches DEPA... (found or made), each with its own topics."""
    branches = []
    for index in range(count):
        name = DEPARTMENTS[index % len(DEPARTMENTS)]
        if index >= len(DEPARTMENTS):
            name = f"{name} {index // len(DEPARTMENTS) + 1}"
        branch, _ = Branch.objects.get_or_create(
            key=branch_key(index),
            defaults={"name": name, "description": f"{name} queue.", "default_assignee": admin},
        )
        branches.append(branch)
    return branches


class Seeder:
    """Writes generated rows with COPY on PostgreSQL and executemany elsewhere; ids are chosen here."""

    def __init__(self, stdout, seed=1):
        self.stdout = stdout
        self.random = random.Random(seed)
        self.postgres = connection.vendor == "postgresql"
        self.now = datetime.now(UTC).replace(microsecond=0)

        # strftime per value was the largest cost of generating rows: days are formatted once.
        self.now_seconds = int(self.now.timestamp())
        first_day = (self.now - timedelta(seconds=TWO_YEARS + 86400)).date()
        self.day_zero = int(datetime(first_day.year, first_day.month, first_day.day, tzinfo=UTC).timestamp())
        self.days = [(first_day + timedelta(days=n)).isoformat() for n in range(2 * 366 + 3)]
        self.zone = "+00" if self.postgres else ""

    def moment(self, seconds_ago):
        """A timestamp as the database takes it in bulk."""
        day, second = divmod(self.now_seconds - seconds_ago - self.day_zero, 86400)
        hour, second = divmod(second, 3600)
        minute, second = divmod(second, 60)
        return f"{self.days[day]} {hour:02d}:{minute:02d}:{second:02d}{self.zone}"

    def customers(self, count):
        """Top the seeded customers up to `count`; returns the ids of all of them."""
        seeded = Customer.objects.filter(email__startswith="bench", email__endswith="@example.com")
        have = seeded.count()
        start = (Customer.objects.aggregate(top=Max("id"))["top"] or 0) + 1
        rows = (
            (pk, f"bench{pk}@example.com", f"Cust{pk}", "Omer", True, self.moment(TWO_YEARS), self.moment(0))
            for pk in range(start, start + max(0, count - have))
        )
        columns = ["id", "email", "first_name", "last_name", "is_active", "created_at", "updated_at"]
        self.load(Customer, columns, rows, max(0, count - have))
        return list(seeded.order_by("id").values_list("id", flat=True)[:count])

    def tickets(self, count, branches, customers, staff_id, comments_per_ticket):
        """Add `count` tickets spread over `branches`, each with its comments."""
        rnd = self.random
        # Round robin, so that every topic (refund and warranty among the first) lives in some branch.
        topics = {
            branch.pk: [
                TOPICS[(index * TOPICS_PER_BRANCH + j) % len(TOPICS)] for j in range(TOPICS_PER_BRANCH)
            ]
            for index, branch in enumerate(branches)
        }
        numbers = {b.pk: b.last_ticket_number for b in branches}
        first_ticket = (Ticket.objects.aggregate(top=Max("id"))["top"] or 0) + 1
        first_comment = (Comment.objects.aggregate(top=Max("id"))["top"] or 0) + 1
        ticket_columns = [
            "id", "branch_id", "number", "key", "unique_id", "subject", "description", "status",
            "priority", "source", "reporter_user_id", "reporter_customer_id", "assignee_id",
            "created_at", "updated_at",
        ]  # fmt: skip
        comment_columns = [
            "id", "ticket_id", "author_user_id", "author_customer_id", "content", "private",
            "created_at", "updated_at",
        ]  # fmt: skip
        comments = []
        comment_ids = itertools.count(first_comment)

        # Texts come from a pool per branch: formatting each one was most of the time; a pool of a few
        # hundred still spreads every topic over the branch's tickets.
        texts = {branch.pk: self.texts(topics[branch.pk]) for branch in branches}
        r = rnd.random
        moment = self.moment

        def ticket_rows():
            for pk in range(first_ticket, first_ticket + count):
                branch = branches[int(r() * len(branches))]
                numbers[branch.pk] += 1
                number = numbers[branch.pk]
                pool = texts[branch.pk]
                subject, description = pool[int(r() * len(pool))]
                customer = customers[int(r() * len(customers))] if r() < 0.85 else None
                age = int(r() * TWO_YEARS)
                touched = int(r() * (age + 1))
                yield (
                    pk, branch.pk, number, f"{branch.key}-{number}", f"{rnd.getrandbits(128):032x}",
                    subject, description, STATUSES[int(r() * len(STATUSES))],
                    PRIORITIES[int(r() * len(PRIORITIES))], SOURCES[int(r() * len(SOURCES))],
                    None if customer else staff_id, customer, staff_id if r() < 0.6 else None,
                    moment(age), moment(touched),
                )  # fmt: skip
                for index in range(comments_per_ticket):
                    by_customer = customer is not None and index % 2 == 0
                    written = moment(int(r() * (touched + 1)))
                    comments.append(
                        (
                            next(comment_ids), pk,
                            None if by_customer else staff_id, customer if by_customer else None,
                            REPLIES[int(r() * len(REPLIES))], not by_customer and r() < 0.1, written, written,
                        )
                    )  # fmt: skip

        self.load(Ticket, ticket_columns, ticket_rows(), count, also=(Comment, comment_columns, comments))
        for branch in branches:
            Branch.objects.filter(pk=branch.pk).update(last_ticket_number=numbers[branch.pk])

    def texts(self, topics, size=512):
        """(subject, description) pairs on a branch's topics."""
        rnd = self.random
        pool = []
        for _ in range(size):
            topic, other, n = rnd.choice(topics), rnd.choice(topics), rnd.randrange(100, 99999)
            subject = rnd.choice(PHRASES).format(t=topic, n=n).capitalize()
            description = " ".join(rnd.choice(SENTENCES).format(t=t, n=n) for t in (topic, other))
            pool.append((subject, description))
        return pool

    def load(self, model, columns, rows, total, also=None):
        """Write `rows` (an iterable of tuples) into the model's table, with a progress bar.

        `also` is a second table whose rows the first one's generator appends to a list as it goes
        (comments of tickets); they are written batch by batch alongside.
        """
        if total <= 0:
            return
        progress = Progress(self.stdout, model._meta.db_table, total)
        extra = also and Progress(self.stdout, also[0]._meta.db_table, None)
        rebuilt = [self.drop_indexes(model)] if total >= REBUILD_INDEXES_AT and self.postgres else []
        if also and rebuilt:
            rebuilt.append(self.drop_indexes(also[0]))
        batch = []
        for row in rows:
            batch.append(row)
            if len(batch) >= BATCH:
                self.write(model, columns, batch)
                progress.advance(len(batch))
                batch = []
                if also:
                    extra.advance(self.flush_also(also))
        self.write(model, columns, batch)
        progress.advance(len(batch))
        progress.finish()
        if also:
            extra.advance(self.flush_also(also))
            extra.total = extra.done
            extra.finish()
        if rebuilt:
            started = time.monotonic()
            # Checks stay immediate until the rebuild ends: an index cannot be built while any is pending.
            # More sort memory than the default, for this transaction only.
            self.run(["SET LOCAL maintenance_work_mem = '256MB'", *itertools.chain(*rebuilt)])
            self.run(["SET CONSTRAINTS ALL DEFERRED"])
            self.stdout.write(f"Indexes and constraints rebuilt in {time.monotonic() - started:.0f} s.")
        self.reset_sequences([model, *(also[:1] if also else [])])

    def flush_also(self, also):
        model, columns, pending = also
        written = len(pending)
        self.write(model, columns, pending)
        pending.clear()
        return written

    def write(self, model, columns, rows):
        if not rows:
            return
        table = connection.ops.quote_name(model._meta.db_table)
        names = ", ".join(connection.ops.quote_name(column) for column in columns)
        with connection.cursor() as cursor:
            if self.postgres:
                with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)

    def drop_indexes(self, model):
        """Drop the table's foreign keys, unique constraints and plain indexes; returns what rebuilds them.

        Checking a foreign key row by row costs more than writing the row; adding the constraint back
        checks the whole table in one join, and an index built at once is one sort instead of a million
        insertions. The primary key stays: other tables' foreign keys lean on it.
        """
        table = model._meta.db_table
        with connection.cursor() as cursor:
            # Checks the transaction deferred (the demo rows') run now: a table with pending ones is locked.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = %s::regclass AND contype IN ('f', 'u')",
                [table],
            )
            constraints = cursor.fetchall()
            quote = connection.ops.quote_name
            for name, _ in constraints:
                cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
            cursor.execute(
                "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = %s AND NOT EXISTS "
                "(SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)",
                [table],
            )
            indexes = cursor.fetchall()
            for name, _ in indexes:
                cursor.execute(f"DROP INDEX {quote(name)}")
        # Indexes first, so that the foreign keys are checked with them.
        return [definition for _, definition in indexes] + [
            f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}"
            for name, definition in constraints
        ]

    def analyze(self):
        """Fresh planner statistics and visibility maps, so the first queries plan as later ones will."""
        if self.postgres:
            started = time.monotonic()
            tables = [model._meta.db_table for model in (Customer, Ticket, Comment)]
            # Inside a caller's transaction (a test) VACUUM cannot run; ANALYZE can.
            command = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
            self.run([f"{command} {connection.ops.quote_name(table)}" for table in tables])
            self.stdout.write(f"Vacuumed and analyzed in {time.monotonic() - started:.0f} s.")

    def run(self, statements):
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)

    def reset_sequences(self, models):
        self.run(connection.ops.sequence_reset_sql(no_style(), models))
