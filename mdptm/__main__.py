"""``python -m mdptm`` and the ``mdptm`` command.

``mdptm --version`` is answered here, before the command line (click, the plug-in doors) is imported:
scripts and package managers ask for it often, and it should cost no more than starting Python.
"""

from __future__ import annotations

import sys

from mdptm import __version__


def main() -> None:
    if sys.argv[1:] == ["--version"]:
        sys.stdout.write(f"mdptm, version {__version__}\n")  # the same line as click's version option
        return
    from mdptm.cli import main as cli_main

    cli_main()


if __name__ == "__main__":
    main()
