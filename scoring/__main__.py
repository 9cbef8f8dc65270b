"""``python -m scoring``: the same as the ``score`` command."""

import sys

from scoring.cli import main

sys.exit(main())
