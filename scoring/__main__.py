"""``python -m scoring``: the same as the ``score`` command."""

from scoring.cli import main
import sys
sys.exit(main())
