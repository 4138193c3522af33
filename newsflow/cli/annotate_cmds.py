"""Placeholder: this stage's commands are being built."""

from newsflow.cli.common import not_yet

annotate = not_yet("annotate")
annotate_text = not_yet("annotate-text")
