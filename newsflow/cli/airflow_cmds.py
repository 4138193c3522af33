"""Placeholder: this stage's commands are being built."""

from newsflow.cli.common import not_yet

airflow = not_yet("airflow")
