"""Evaluation commands: newsflow measured against public yardsticks in ``/work/shared/eval``.

Each module runs as ``python -m newsflow.eval.<name> PATH``; none is a test and none
is needed at run time.
"""
