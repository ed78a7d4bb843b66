"""Input key spelling: clients send camelCase or snake_case, the code reads snake_case."""

import re

_CAMEL_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def snake_case(name):
    """`ticketStatus` -> `ticket_status`; snake_case names are unchanged."""
    return _CAMEL_BOUNDARY.sub("_", name).lower() if isinstance(name, str) else name


def snake_keys(data):
    """Rename every object key in parsed input to snake_case, recursively."""
    if isinstance(data, dict):
        return {snake_case(key): snake_keys(value) for key, value in data.items()}
    if isinstance(data, list):
        return [snake_keys(item) for item in data]
    return data
