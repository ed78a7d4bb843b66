"""`manage.py seed_demo [--password P] [--tickets N ...]`: demo users, branches, tickets, comments, keys.

Rerunnable: the hand-written demo rows are made once, and `--tickets N` tops the benchmark branches up to N
generated tickets (bulk loaded: COPY on PostgreSQL).
"""

import secrets

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from desk.branches.models import Branch
from desk.comments.services import comment_create
from desk.core.seed_scale import Seeder, scale_branches
from desk.tickets.models import Ticket
from desk.tickets.services import ticket_create
from desk.users.models import Customer, User
from wsse_auth.models import ApiKey
from wsse_auth.services import api_key_create

ADMIN = {"username": "admin", "email": "admin@example.com", "first_name": "Ada", "last_name": "Admin"}
CUSTOMER = {"email": "customer@example.com", "first_name": "Carla", "last_name": "Customer"}
DEMO_KEY_LABEL = "demo"
BRANCHES = [
    {"key": "SUPP", "name": "Support", "description": "Problems with orders, accounts and invoices."},
    {"key": "SALE", "name": "Sales", "description": "Quotes, bulk orders and partner discounts."},
]
# Each ticket is found again by branch and subject, so a rerun adds none twice. Comment authors are
# "admin" or "customer"; the flag marks a private (staff only) comment.
TICKETS = [
    {
        "branch": "SUPP",
        "subject": "Order #1001 has not arrived",
        "description": "I ordered a lamp two weeks ago and it has not arrived yet.",
        "status": "open",
        "priority": "high",
        "source": "email",
        "reporter": "customer",
        "comments": [
            ("customer", "It was due last Monday.", False),
            ("admin", "The carrier says it is on its way; we will follow up tomorrow.", False),
            ("admin", "Carrier claim CX-5531 opened.", True),
        ],
    },
    {
        "branch": "SUPP",
        "subject": "Cannot reset my password",
        "description": "The reset link in the email says it has expired.",
        "status": "new",
        "priority": "medium",
        "source": "web",
        "reporter": "customer",
        "comments": [],
    },
    {
        "branch": "SUPP",
        "subject": "Invoice shows the old address",
        "description": "Invoice 2024-118 still has our previous street address.",
        "status": "pending",
        "priority": "low",
        "source": "phone",
        "reporter": "admin",
        "comments": [("admin", "Asked accounting to reissue the invoice.", False)],
    },
    {
        "branch": "SALE",
        "subject": "Quote for 200 desk lamps",
        "description": "Could you send a quote for 200 lamps delivered in March?",
        "status": "in_progress",
        "priority": "medium",
        "source": "email",
        "reporter": "customer",
        "comments": [("admin", "Quote Q-77 sent by email.", False)],
    },
    {
        "branch": "SALE",
        "subject": "Partner discount renewal",
        "description": "The yearly partner discount agreement is due for renewal.",
        "status": "closed",
        "priority": "low",
        "source": "phone",
        "reporter": "admin",
        "comments": [],
    },
]


class Command(BaseCommand):
    help = "Create demo data: an admin, a customer, branches, tickets, comments and API keys (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--password", help="password of the admin user (default: a random one, printed)")
        parser.add_argument(
            "--base-url", default="http://127.0.0.1:8000", help="server address for the printed curl lines"
        )
        scale = parser.add_argument_group("benchmark data (generated, bulk loaded)")
        scale.add_argument("--tickets", type=int, default=0, help="generated tickets wanted (default 0)")
        scale.add_argument("--comments-per-ticket", type=int, default=2, help="comments on each new one")
        scale.add_argument("--customers", type=int, default=1000, help="generated customers reporting them")
        scale.add_argument("--branches", type=int, default=12, help="generated branches holding them")

    def handle(self, *args, password, base_url, **options):
        with transaction.atomic():
            added = self.seed(password, options)
        if added:
            # Outside the transaction: VACUUM cannot run inside one.
            Seeder(self.stdout).analyze()
        base = base_url.rstrip("/")
        self.stdout.write("Try (each header is good for one request, for five minutes):")
        self.stdout.write(
            f'  curl -H "$(python manage.py wsse_header admin)" {base}/api/rest/latest/desk/tickets'
        )
        self.stdout.write(
            f'  curl -H "$(python manage.py wsse_header --customer {CUSTOMER["email"]})" '
            f"{base}/api/diamante/rest/latest/desk/tickets"
        )

    def seed(self, password, options):
        """Everything but the statistics, in one transaction."""
        admin = self.admin(password)
        customer = self.customer()
        branches = {spec["key"]: self.branch(spec, admin) for spec in BRANCHES}
        people = {"admin": admin, "customer": customer}
        created = sum(self.ticket(spec, branches[spec["branch"]], people) for spec in TICKETS)
        self.stdout.write(f"Tickets: {created} created, {len(TICKETS) - created} already there.")
        added = self.generate(admin, **options) if options["tickets"] > 0 else 0
        self.api_key(admin, f"staff user {admin.username}")
        self.api_key(customer, f"customer {customer.email}")
        return added

    def generate(self, admin, *, tickets, comments_per_ticket, customers, branches, **options):
        """Top the benchmark branches up to `tickets` generated tickets, with comments and customers."""
        if min(customers, branches) < 1 or comments_per_ticket < 0:
            raise CommandError(
                "--customers and --branches must be at least 1, --comments-per-ticket 0 or more."
            )
        seeder = Seeder(self.stdout)
        customer_ids = seeder.customers(customers)
        queues = scale_branches(branches, admin)
        have = Ticket.objects.filter(branch__in=queues).count()
        added = max(0, tickets - have)
        seeder.tickets(added, queues, customer_ids, admin.pk, comments_per_ticket)
        self.stdout.write(f"Generated tickets: {have + added} in {len(queues)} branches ({have} were there).")
        return added

    def admin(self, password):
        """The staff superuser `admin`; an existing one keeps its password unless one is given."""
        admin = User.objects.filter(username=ADMIN["username"]).first()
        if admin is None:
            generated = password is None
            password = password or secrets.token_urlsafe(12)
            admin = User.objects.create_superuser(password=password, **ADMIN)
            shown = f"password: {password}" if generated else "password as given"
            self.stdout.write(f"Created staff superuser {admin.username} ({shown}).")
        elif password is not None:
            admin.set_password(password)
            admin.save(update_fields=["password"])
            self.stdout.write(f"Staff user {admin.username} exists; password set as given.")
        else:
            self.stdout.write(f"Staff user {admin.username} exists; password unchanged.")
        return admin

    def customer(self):
        """The demo customer."""
        customer = Customer.objects.filter(email__iexact=CUSTOMER["email"]).first()
        if customer is None:
            customer = Customer.objects.create(**CUSTOMER)
            self.stdout.write(f"Created customer {customer.email}.")
        return customer

    def branch(self, spec, admin):
        """A demo branch, found by its key."""
        branch = Branch.objects.filter(key=spec["key"]).first()
        if branch is None:
            branch = Branch(**spec, default_assignee=admin, tags=["demo"])
            branch.full_clean()
            branch.save()
            self.stdout.write(f"Created branch {branch}.")
        return branch

    def ticket(self, spec, branch, people):
        """A demo ticket with its comments, numbered like any other; False when it was already there."""
        if Ticket.objects.filter(branch=branch, subject=spec["subject"]).exists():
            return False
        ticket = ticket_create(
            branch=branch,
            subject=spec["subject"],
            description=spec["description"],
            status=spec["status"],
            priority=spec["priority"],
            source=spec["source"],
            reporter=people[spec["reporter"]],
        )
        for author, content, private in spec["comments"]:
            comment_create(ticket=ticket, author=people[author], content=content, private=private)
        return True

    def api_key(self, owner, description):
        """A demo key for the owner; like every key it is printed only when made."""
        keys = ApiKey.objects.filter(label=DEMO_KEY_LABEL, revoked_at__isnull=True)
        owned = keys.filter(customer=owner) if isinstance(owner, Customer) else keys.filter(user=owner)
        if owned.exists():
            self.stdout.write(f"The {description} has a demo API key already (shown when it was made).")
            return
        api_key = api_key_create(owner=owner, label=DEMO_KEY_LABEL)
        self.stdout.write(f"New API key for {description} (shown once, keep it safe):")
        self.stdout.write(api_key.key)
