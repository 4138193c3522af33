"""dbt's profile inside Airflow: the committed ``profiles.yml``, fed from ``newsflow_db``.

Cosmos' stock ``PostgresUserPasswordProfileMapping`` requires a password (a
server with trust or peer authentication fails every task with "Could not find
a value for secret field password"), puts a socket directory where dbt wants a
host name and drops ``options`` and most libpq keywords.  This mapping instead
writes the ``dev`` output of ``dbt_project/profiles.yml`` (``env_var()``
only, the profile the CLI uses) and hands Cosmos, as the environment of the
dbt run, :func:`newsflow.dbt_runner.dbt_env` of the URL the connection stands
for: the very variables ``newsflow transform`` sets.  Whatever the URL has,
dbt gets; nothing else.  The connection is read when a task runs, never when
the DAG is parsed; the password travels in the environment only.
"""

from __future__ import annotations

from functools import cache
from typing import Any, ClassVar

import yaml
from cosmos.profiles.base import BaseProfileMapping

from newsflow.dbt_runner import PROJECT_DIR, dbt_env
from newsflow.orchestration.connection import database_url_from_connection

__all__ = ["NewsflowProfileMapping", "committed_profile"]

PROFILE_NAME = "newsflow"
PROFILE_TARGET = "dev"


@cache
def committed_profile() -> dict[str, Any]:
    """The ``dev`` output of ``dbt_project/profiles.yml``, its ``env_var()`` calls unrendered."""
    data = yaml.safe_load((PROJECT_DIR / "profiles.yml").read_text())
    return dict(data[PROFILE_NAME]["outputs"][PROFILE_TARGET])


class NewsflowProfileMapping(BaseProfileMapping):
    """The committed profile; its variables from the Airflow connection at run time."""

    airflow_connection_type = "postgres"
    dbt_profile_type = "postgres"
    # Nothing is required of the connection: a URL without password or host is valid.
    required_fields: ClassVar[list[str]] = []
    secret_fields: ClassVar[list[str]] = []

    @property
    def profile(self) -> dict[str, Any]:
        return {**committed_profile(), **self.profile_args}

    @property
    def mock_profile(self) -> dict[str, Any]:
        return self.profile

    @property
    def env_vars(self) -> dict[str, str]:
        return dbt_env(database_url_from_connection(self.conn))
