"""`manage.py recount_tickets`: recomputes the ticket counts the triggers keep, and says which were wrong."""

from django.core.management.base import BaseCommand

from desk.tickets.services import ticket_counts_recount


class Command(BaseCommand):
    help = (
        "Count the tickets of every branch, and those matching every kept filter, afresh and correct "
        "the kept counts (X-Total) that differ. Ticket writes wait while it runs."
    )

    def handle(self, *args, **options):
        branches, filters = ticket_counts_recount()
        for branch_id, kept, counted in branches:
            self.stdout.write(f"Branch {branch_id}: kept {kept} tickets, counted {counted}; corrected.")
        for lookup, operand, kept, counted in filters:
            self.stdout.write(f"{lookup} {operand!r}: kept {kept}, counted {counted}; corrected.")
        if not branches and not filters:
            self.stdout.write("Every kept ticket count was right.")
