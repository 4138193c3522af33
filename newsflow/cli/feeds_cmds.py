"""Placeholder: this stage's commands are being built."""

from newsflow.cli.common import not_yet

feeds = not_yet("feeds")
