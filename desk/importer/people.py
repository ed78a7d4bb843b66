"""The original's `user_type` strings (`oro_<id>`, `diamante_<id>`) and the stand-ins for missing people."""

import re

STAFF, CUSTOMER = "oro", "diamante"
_REFERENCE = re.compile(r"(oro|diamante)_([0-9]{1,18})")
# Written where the data names nobody (NULL, '' or garbage); replaced by one "unknown" placeholder at the end.
UNKNOWN_PERSON = -1


def parse_person(value):
    """`("oro", 5)` for `'oro_5'`, `("diamante", 7)` for `'diamante_7'`; None for NULL, '' or anything else"""
    match = _REFERENCE.fullmatch((value or "").strip())
    if match is None:
        return None
    return match[1], int(match[2])


def person_columns(reference, report, table, row_id):
    """(staff id, customer id) for a reference; an unparsable one names the unknown placeholder, reported."""
    person = parse_person(reference)
    if person is None:
        report.change(
            table,
            "names no person (NULL, '' or not oro_N/diamante_N): set to the unknown placeholder",
            f"{row_id}: {reference!r}",
        )
        return UNKNOWN_PERSON, None
    kind, person_id = person
    return (person_id, None) if kind == STAFF else (None, person_id)
