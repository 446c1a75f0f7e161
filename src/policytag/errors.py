"""Errors policytag raises for bad input: each carries a one-line message meant for a user."""

from __future__ import annotations


class PolicytagError(Exception):
    """Base class: a problem with the user's input or setup, reported as one line, never a traceback."""

    def __init__(self, message: str, *, source: str | None = None, line: int | None = None):
        self.message = message
        self.source = source
        self.line = line
        super().__init__(self.one_line())

    def one_line(self) -> str:
        where = ""
        if self.source:
            where = f"{self.source}:{self.line}: " if self.line else f"{self.source}: "
        return (where + self.message).replace("\n", " ")


class ReadError(PolicytagError):
    """A report could not be read: missing, empty, binary, undecodable or of an unsupported type."""


class InputError(PolicytagError):
    """A structured input (JSONL record, doccano file, corpus file) is malformed."""


class ModelError(PolicytagError):
    """A pipeline could not be found or loaded."""
