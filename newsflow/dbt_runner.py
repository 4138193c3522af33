"""Placeholder until the dbt stage lands: ``python -m newsflow.dbt_runner parse``."""

if __name__ == "__main__":
    raise SystemExit(0)
