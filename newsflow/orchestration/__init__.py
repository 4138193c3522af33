"""Orchestration: what the Airflow DAGs in ``dags/`` call.

The DAG files are wiring only.  Everything with logic lives here, in small
modules that import neither Airflow's scheduler nor the stages at module level,
so the DAG processor parses the files quickly and these modules can be unit
tested without Airflow:

- :mod:`~newsflow.orchestration.assets`: the Assets that chain the DAGs.
- :mod:`~newsflow.orchestration.dag_defaults`: start date, tags, retries and time-outs of every DAG.
- :mod:`~newsflow.orchestration.connection`: database URL <-> Airflow connection.
- :mod:`~newsflow.orchestration.tasks`: the body of every task.
- :mod:`~newsflow.orchestration.cosmos_config`: the dbt task group (Cosmos).
- :mod:`~newsflow.orchestration.maintenance`: VACUUM/ANALYZE and retention.
- :mod:`~newsflow.orchestration.quality`: the nightly data-quality summary.
- :mod:`~newsflow.orchestration.local`: run the DAGs once with ``dag.test()``.
"""
