#!/usr/bin/env python
"""Django's own commands; people use the `kaynak` command (kaynak/cli.py)."""

import sys

from kaynak.cli import main

if __name__ == "__main__":
    sys.exit(main(sys.argv, prog="manage.py"))
