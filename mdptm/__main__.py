"""``python -m mdptm`` and the ``mdptm`` command.

``mdptm --version`` is answered here, before the command line (click, the plug-in doors) is imported:
scripts and package managers ask for it often, and it should cost no more than starting Python.

When the command has finished — every file written and closed, every message printed — the process
leaves without tearing its heap down object by object (``os._exit`` after flushing stdout and stderr):
after a large build that teardown alone took about half a second. Only this entry point does so;
:func:`mdptm.cli.main` and the library exit, or return, as usual.
"""

from __future__ import annotations

import os
import sys

from mdptm import __version__


def main(*, fast_exit: bool = True) -> None:
    """Run the command line; with *fast_exit* (the ``mdptm`` command), leave through :func:`_leave`."""
    if sys.argv[1:] == ["--version"]:
        sys.stdout.write(f"mdptm, version {__version__}\n")  # the same line as click's version option
        return
    from mdptm.cli import main as cli_main

    if not fast_exit:
        cli_main()
        return
    try:
        cli_main()
    except SystemExit as exc:
        _leave(exc.code)
        raise
    _leave(0)


def _leave(code: object) -> None:
    """End the process now with *code* (``None`` is 0), as ``sys.exit`` would, minus the teardown.

    Returns, leaving the exit to Python, when *code* is not a number (``sys.exit`` prints it) or the
    output cannot be flushed (a closed pipe: Python reports that on its way out, as before; no stream).
    """
    if code is None:
        code = 0
    if not isinstance(code, int):
        return
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError, AttributeError):  # a closed pipe or stream, or no stream at all (None)
        return
    os._exit(code & 0xFF)


if __name__ == "__main__":
    main()
