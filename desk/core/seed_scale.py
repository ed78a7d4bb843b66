"""Bulk demo data for benchmarks: branches, customers, tickets and comments by the million."""

import itertools
import random
import uuid
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
TOPICS_PER_BRANCH = 6
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

    def moment(self, seconds_ago):
        """A timestamp as the database takes it in bulk."""
        moment = self.now - timedelta(seconds=seconds_ago)
        return moment.strftime("%Y-%m-%d %H:%M:%S+00" if self.postgres else "%Y-%m-%d %H:%M:%S")

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
        topics = {b.pk: rnd.sample(TOPICS, TOPICS_PER_BRANCH) for b in branches}
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

        def ticket_rows():
            for pk in range(first_ticket, first_ticket + count):
                branch = branches[rnd.randrange(len(branches))]
                numbers[branch.pk] += 1
                number = numbers[branch.pk]
                topic = rnd.choice(topics[branch.pk])
                n = rnd.randrange(100, 99999)
                subject = rnd.choice(PHRASES).format(t=topic, n=n).capitalize()
                other = rnd.choice(topics[branch.pk])
                description = " ".join(rnd.choice(SENTENCES).format(t=t, n=n) for t in (topic, other))
                customer = customers[rnd.randrange(len(customers))] if rnd.random() < 0.85 else None
                age = rnd.randrange(TWO_YEARS)
                touched = rnd.randrange(age + 1)
                yield (
                    pk, branch.pk, number, f"{branch.key}-{number}", uuid.UUID(int=rnd.getrandbits(128)).hex,
                    subject, description, rnd.choice(STATUSES), rnd.choice(PRIORITIES), rnd.choice(SOURCES),
                    None if customer else staff_id, customer, staff_id if rnd.random() < 0.6 else None,
                    self.moment(age), self.moment(touched),
                )  # fmt: skip
                for index in range(comments_per_ticket):
                    by_customer = customer is not None and index % 2 == 0
                    written = self.moment(rnd.randrange(touched + 1))
                    comments.append(
                        (
                            next(comment_ids), pk,
                            None if by_customer else staff_id, customer if by_customer else None,
                            rnd.choice(REPLIES), not by_customer and rnd.random() < 0.1, written, written,
                        )
                    )  # fmt: skip

        self.load(Ticket, ticket_columns, ticket_rows(), count, also=(Comment, comment_columns, comments))
        for branch in branches:
            Branch.objects.filter(pk=branch.pk).update(last_ticket_number=numbers[branch.pk])

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
            # The deferred foreign key checks run now: an index cannot be built while they are pending.
            self.run(
                ["SET CONSTRAINTS ALL IMMEDIATE", *itertools.chain(*rebuilt), "SET CONSTRAINTS ALL DEFERRED"]
            )
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
        """Drop the table's plain (non-constraint) indexes; returns the statements that rebuild them."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = %s AND NOT EXISTS "
                "(SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)",
                [model._meta.db_table],
            )
            found = cursor.fetchall()
            for name, _ in found:
                cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
        return [definition for _, definition in found]

    def run(self, statements):
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)

    def reset_sequences(self, models):
        self.run(connection.ops.sequence_reset_sql(no_style(), models))
