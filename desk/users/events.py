"""How customer changes appear in the event log (staff only)."""

from desk.events.log import register
from desk.users.models import Customer
from desk.users.serializers import CustomerSerializer


def represent(customer, request):
    return CustomerSerializer(customer, context={"request": request}).data


register(Customer, entity="customer", represent=represent, key=lambda customer: customer.email)
