"""Factories for comment tests: the shared ones."""

from tests.factories import LONG_AGO, age, make_attachment, make_branch, make_comment, make_ticket

__all__ = ["LONG_AGO", "age", "make_attachment", "make_branch", "make_comment", "make_ticket"]
