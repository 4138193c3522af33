"""Database bootstrap: the embedded server, connections and migrations."""

from newsflow.db.migrate import apply_migrations, current_version
from newsflow.db.resolve import connect, resolve_database_url

__all__ = ["apply_migrations", "connect", "current_version", "resolve_database_url"]
