"""``python -m newsflow.cli``: the ``newsflow`` command without the console script."""

from newsflow.cli import main

main()
