"""Database bootstrap: the embedded server, connections and migrations."""

from newsflow.db.connection import connect, resolve_database_url
from newsflow.db.migrate import apply_migrations, current_version

__all__ = ["apply_migrations", "connect", "current_version", "resolve_database_url"]
