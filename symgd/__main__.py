"""``python -m symgd`` runs the command line."""

import sys

from .cli import main

if __name__ == "__main__":  # importing this module (e.g. for doctests) must not run the CLI
    sys.exit(main())
