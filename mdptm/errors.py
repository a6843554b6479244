"""Exceptions the CLI turns into exit codes (SPEC §12); the library raises, never exits."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """The closed set of exit codes (SPEC §12): done, blocked by findings, bad input or usage."""

    OK = 0
    BLOCKED = 1
    INPUT = 2


class MdptmError(Exception):
    """Root of every error mdptm raises on purpose."""

    exit_code: ExitCode = ExitCode.INPUT


class InputError(MdptmError):
    """Bad input: names the file and the place in it (sheet!cell, table/row, XML path, line)."""

    exit_code = ExitCode.INPUT

    def __init__(self, message: str, *, file: str | None = None, locator: str | None = None):
        self.message = message
        self.file = file
        self.locator = locator
        where = ""
        if file:
            where = file + (f" ({locator})" if locator else "")
        super().__init__(f"{where}: {message}" if where else message)


class UsageError(MdptmError):
    exit_code = ExitCode.INPUT


class BlockingError(MdptmError):
    """Finished with blocking findings: review blockers, a leak (exit 1)."""

    exit_code = ExitCode.BLOCKED
