"""The warehouse end to end on a real PostgreSQL: raw rows in, dbt build, marts out.

One module-scoped database and three dbt invocations shared by every test
(dbt runs take seconds each): a full build on the first articles, an
incremental build after a later article arrives (through ``newsflow
transform``), then a full refresh whose result must equal the incremental one.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
import pytest
import yaml
from click.testing import CliRunner
from psycopg import sql

from newsflow.dbt_runner import DbtResult, build, run_dbt
from tests.conftest import _with_database, create_test_database, drop_test_database
from tests.dbt import fixtures

#: the dbt var min_event_confidence, read from the project as dbt reads it
MIN_EVENT_CONFIDENCE = float(
    yaml.safe_load((Path(__file__).parents[2] / "dbt_project" / "dbt_project.yml").read_text())[
        "vars"
    ]["min_event_confidence"]
)

#: Models compared between incremental runs and a full refresh (mart_source_health
#: measures against now() and is left out).
COMPARED = [
    "intermediate.int_articles_annotated",
    "intermediate.int_actor_mentions_resolved",
    "intermediate.int_event_mentions_coded",
    "marts.fct_event_mentions",
    "marts.fct_events",
    "marts.dim_actors",
    "marts.mart_daily_events",
    "marts.mart_dyads",
    "marts.mart_actor_activity",
    "marts.mart_unresolved_actors",
]


@dataclass
class Warehouse:
    url: str
    first: DbtResult
    incremental_cli: Any
    full_refresh: DbtResult
    article_ids: dict[str, int]
    #: fct_events after the first build
    events_before: list[dict[str, Any]]
    #: rows (as sets) after the incremental run, per compared model
    incremental_rows: dict[str, set[str]] = field(default_factory=dict)
    #: a frequent run with nothing new: rows it wrote, per article-keyed model
    empty_batch_writes: dict[str, int] = field(default_factory=dict)

    def rows(self, query: str, *params: Any) -> list[dict[str, Any]]:
        with psycopg.connect(self.url) as conn:
            cur = conn.cursor(row_factory=psycopg.rows.dict_row)
            return list(cur.execute(query, params).fetchall())  # type: ignore[arg-type]


#: Bookkeeping that says when a row was built, not what it holds.
BUILD_COLUMNS = ["watermark_xmin", "written_xact"]


def _snapshot(url: str, relation: str) -> set[str]:
    """Every row of a relation as JSON text (hashable, arrays too), build bookkeeping left out."""
    schema, table = relation.split(".")
    with psycopg.connect(url) as conn:
        query = sql.SQL("select (to_jsonb(t) - {}::text[])::text from {}.{} as t").format(
            sql.Literal(BUILD_COLUMNS), sql.Identifier(schema), sql.Identifier(table)
        )
        return {row[0] for row in conn.execute(query)}


#: Incremental models keyed by article, with the transaction that wrote each row.
ARTICLE_KEYED = [
    "intermediate.int_articles_annotated",
    "intermediate.int_actor_mentions_resolved",
    "intermediate.int_event_mentions_coded",
]


def _last_writes(url: str) -> dict[str, int]:
    with psycopg.connect(url) as conn:
        return {
            relation: conn.execute(
                sql.SQL("select coalesce(max(written_xact), 0) from {}").format(
                    sql.Identifier(*relation.split("."))
                )
            ).fetchone()[0]  # type: ignore[index]
            for relation in ARTICLE_KEYED
        }


def _cross_a_digit_boundary(url: str, within: int = 100_000) -> None:
    """Use up transaction ids to the next power of ten when it is near.

    Watermarks are transaction ids; a comparison done on their text holds
    until the ids gain a digit ('988' > '1277'). Crossing the boundary
    between the first build and the incremental one shows it up: the build
    after them would take the first build's watermark for the newest.
    """
    with psycopg.connect(url, autocommit=True) as conn:
        current = int(conn.execute("select pg_current_xact_id()::text").fetchone()[0])  # type: ignore[index]
        distance = 10 ** len(str(current)) - current
        if distance <= within:
            conn.execute(
                f"do $$ begin for i in 1..{distance + 1} loop"
                " perform pg_current_xact_id(); commit; end loop; end $$"
            )


def _events(url: str) -> list[dict[str, Any]]:
    with psycopg.connect(url) as conn:
        cur = conn.cursor(row_factory=psycopg.rows.dict_row)
        return list(cur.execute("select * from marts.fct_events").fetchall())


@pytest.fixture(scope="module")
def warehouse(
    pg_admin_url: str, _template_db: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Warehouse]:
    name = create_test_database(pg_admin_url, _template_db)
    url = _with_database(pg_admin_url, name)
    target = tmp_path_factory.mktemp("dbt-target")
    now = datetime.now(UTC)
    try:
        with psycopg.connect(url) as conn:
            article_ids = fixtures.load_initial(conn, now)
        first = build(url, capture=True, target_path=target)
        assert first.success, first.output[-4000:]
        events_before = _events(url)
        _cross_a_digit_boundary(url)

        with psycopg.connect(url) as conn:
            article_ids["later"] = fixtures.insert_article(conn, fixtures.later_report(now))
            # annotated again by a newer version that no longer finds its event
            fixtures.annotate(
                conn, article_ids["retracted"], fixtures.retracted_report(now, "test-2")
            )
            # one of an event's two articles no longer reports it
            fixtures.annotate(
                conn,
                article_ids["corroborated"],
                fixtures.corroborated_report(now, "nile.test", "test-2"),
            )
        from newsflow.cli import cli

        runner = CliRunner()
        incremental = runner.invoke(
            cli,
            # what news_transform runs after each annotation batch
            ["transform", "--json", "--selector", "frequent"],
            env={
                "NEWSFLOW_DATABASE_URL": url,
                "NEWSFLOW_DBT_TARGET_PATH": str(Path(target) / "cli"),
            },
        )
        assert incremental.exit_code == 0, incremental.output[-4000:]
        incremental_rows = {relation: _snapshot(url, relation) for relation in COMPARED}

        # the next batch brings nothing new: the article-keyed models rewrite nothing
        before = _last_writes(url)
        empty = build(url, selector="frequent", capture=True, target_path=target)
        assert empty.success, empty.output[-4000:]
        with psycopg.connect(url) as conn:
            empty_batch_writes = {
                relation: conn.execute(
                    sql.SQL("select count(*) from {} where written_xact > %s").format(
                        sql.Identifier(*relation.split("."))
                    ),
                    (before[relation],),
                ).fetchone()[0]  # type: ignore[index]
                for relation in ARTICLE_KEYED
            }

        full = build(url, full_refresh=True, capture=True, target_path=target)
        assert full.success, full.output[-4000:]
        yield Warehouse(
            url=url,
            first=first,
            incremental_cli=incremental,
            full_refresh=full,
            article_ids=article_ids,
            events_before=events_before,
            incremental_rows=incremental_rows,
            empty_batch_writes=empty_batch_writes,
        )
    finally:
        drop_test_database(pg_admin_url, name)


def _one(rows: list[dict[str, Any]]) -> dict[str, Any]:
    assert len(rows) == 1, rows
    return rows[0]


def test_every_model_and_test_passes(warehouse: Warehouse) -> None:
    for result in (warehouse.first, warehouse.full_refresh):
        assert result.success
        assert not result.failures
        assert result.counts.get("pass", 0) > 100  # data and unit tests ran
        assert result.counts.get("success", 0) >= 25  # seeds and models
        assert "error" not in result.counts and "fail" not in result.counts


def test_iran_syria_consultation_in_damascus(warehouse: Warehouse) -> None:
    event = _one(
        warehouse.rows(
            """
            select * from marts.fct_events
            where actor1_country_code = 'IRN' and actor2_country_code = 'SYR'
              and event_type = 'CONSULT'
            """
        )
    )
    assert (event["actor1_sector"], event["actor2_sector"]) == ("GOV", "GOV")
    assert event["event_date"].isoformat() == "2024-12-01"
    assert event["action_country_code"] == "SYR"
    assert event["action_place_name"] == "Damascus"
    assert event["quad_class"] == 1 and event["cameo_root"] == "04"
    # first build: the report and its wire copy are one cluster, one source
    before = _one([e for e in warehouse.events_before if e["event_id"] == event["event_id"]])
    assert (before["num_articles"], before["num_sources"], before["num_copies"]) == (1, 1, 2)
    # the independent later report raised the counts; the copy never counted twice
    assert (event["num_articles"], event["num_sources"], event["num_copies"]) == (2, 2, 3)
    assert event["num_mentions"] == 2
    assert event["source_url"] == fixtures.militia_article(datetime.now(UTC)).url


def test_three_way_talks_are_one_multilateral_group(warehouse: Warehouse) -> None:
    rows = warehouse.rows(
        """
        select * from marts.fct_events
        where actor1_country_code = 'TUR' and event_type = 'CONSULT'
        order by actor2_country_code
        """
    )
    assert [r["actor2_country_code"] for r in rows] == ["IRN", "RUS"]
    assert rows[0]["event_group_id"] == rows[1]["event_group_id"]
    assert all(r["is_multilateral"] and r["event_mode"] == "multilateral" for r in rows)
    assert all(r["event_date"].isoformat() == "2024-12-02" for r in rows)


def test_iran_backed_iraqi_militia_supports_syria(warehouse: Warehouse) -> None:
    event = _one(
        warehouse.rows(
            """
            select * from marts.fct_events
            where actor1_country_code = 'IRQ' and actor2_country_code = 'SYR'
              and event_type = 'SUPPORT'
            """
        )
    )
    assert event["actor1_sector"] == "PAR"
    assert event["actor1_sponsor_code"] == "IRN"
    assert event["actor2_sector"] == "GOV"  # Assad, in office on that date
    assert event["quad_class"] == 2  # material support


def test_rebels_assault_the_syrian_military(warehouse: Warehouse) -> None:
    event = _one(
        warehouse.rows(
            """
            select * from marts.fct_events
            where actor1_sector = 'REB' and actor2_country_code = 'SYR'
              and actor2_sector = 'MIL'
            """
        )
    )
    # by guerrillas, not a state's forces: ASSAULT, as the PLOVER gold codes it
    assert event["event_type"] == "ASSAULT"
    assert event["actor1_name"] == "Hayat Tahrir al-Sham"
    assert event["quad_class"] == 4 and event["goldstein"] < 0


def test_syria_demands_turkey_withdraw(warehouse: Warehouse) -> None:
    event = _one(
        warehouse.rows(
            """
            select * from marts.fct_events
            where actor1_country_code = 'SYR' and actor2_country_code = 'TUR'
            """
        )
    )
    assert event["event_type"] == "DEMAND"
    assert event["is_derived"]
    mention = _one(
        warehouse.rows(
            "select * from marts.fct_event_mentions where event_id = %s", event["event_id"]
        )
    )
    assert mention["coding_rule"] == "demanded_by_speaker"
    assert mention["base_event_type"] == "RETREAT"
    assert mention["actor1_text"] == "Assad"


def test_speculation_and_negation_are_kept_but_not_counted(warehouse: Warehouse) -> None:
    mentions = warehouse.rows(
        """
        select predicate, event_type, is_countable, not_countable_reason, event_id
        from marts.fct_event_mentions
        where not is_countable
        order by predicate
        """
    )
    reasons = {m["predicate"]: m["not_countable_reason"] for m in mentions}
    assert reasons["back"] == "speculative"
    assert reasons["attack"] == "negated"
    assert reasons["cross into"] == "uncoded"
    speculative = next(m for m in mentions if m["predicate"] == "back")
    assert speculative["event_type"] == "SUPPORT"
    assert not warehouse.rows(
        "select 1 from marts.fct_events where event_id = %s", speculative["event_id"]
    )
    assert not warehouse.rows(
        """
        select 1 from marts.fct_events
        where actor1_country_code = 'TUR' and event_type = 'SUPPORT'
        """
    )
    assert not warehouse.rows(
        "select 1 from marts.fct_events where actor1_country_code = 'RUS' and quad_class = 4"
    )


def test_background_event_kept_with_flag(warehouse: Warehouse) -> None:
    event = _one(
        warehouse.rows(
            """
            select * from marts.fct_events
            where event_type = 'FIGHT' and actor1_country_code = 'TUR'
            """
        )
    )
    assert event["is_background"]
    assert event["event_date"] is None
    daily = warehouse.rows(
        "select * from marts.mart_daily_events where country_code = 'TUR' and quad_class = 4"
    )
    assert daily == []


def test_araqchi_and_araghchi_are_one_actor(warehouse: Warehouse) -> None:
    actors = warehouse.rows(
        """
        select distinct actor_code from marts.dim_actors
        where exists (
            select 1 from unnest(aliases || actor_name) as alias
            where lower(alias) in ('araqchi', 'araghchi', 'abbas araqchi', 'abbas araghchi')
        )
        """
    )
    assert len(actors) == 1
    resolved = warehouse.rows(
        """
        select distinct actor_code from intermediate.int_actor_mentions_resolved
        where mention_text in ('Abbas Araqchi', 'Araghchi', 'Abbas Araghchi')
        """
    )
    assert resolved == actors


def test_roles_are_validity_ranges(warehouse: Warehouse) -> None:
    assad = warehouse.rows(
        """
        select * from marts.dim_actors
        where 'Bashar Assad' = any(aliases) or actor_name = 'Bashar Assad'
        """
    )
    president = [r for r in assad if r["role_title"] and r["sector"] == "GOV"]
    assert president
    assert max(r["valid_to"] for r in president).isoformat() == "2024-12-08"
    composite = _one(warehouse.rows("select * from marts.dim_actors where actor_code = 'IRQPAR'"))
    assert composite["is_composite"] and composite["country_code"] == "IRQ"


def test_dashboard_marts(warehouse: Warehouse) -> None:
    syria = warehouse.rows(
        """
        select quad_class, num_events, num_events_in_country
        from marts.mart_daily_events
        where country_code = 'SYR' and event_date = '2024-12-01'
        order by quad_class
        """
    )
    assert [r["quad_class"] for r in syria] == [1, 2]
    assert syria[0]["num_events_in_country"] == 1  # the meeting in Damascus
    dyad = _one(
        warehouse.rows(
            """
            select * from marts.mart_dyads
            where actor1_country_code = 'TUR' and actor2_country_code = 'RUS'
            """
        )
    )
    assert dyad["event_type"] == "CONSULT" and dyad["num_events"] == 1
    activity = _one(
        warehouse.rows(
            """
            select * from marts.mart_actor_activity
            where actor_code = 'TURGOV' and event_date = '2024-12-02'
            """
        )
    )
    assert activity["num_events_as_actor1"] == 2
    assert activity["num_events_as_actor2"] == 1  # Assad's demand
    unresolved = _one(
        warehouse.rows(
            "select * from marts.mart_unresolved_actors where mention_term = 'zorgan brigade'"
        )
    )
    assert unresolved["num_mentions"] == 2


def test_source_health(warehouse: Warehouse) -> None:
    health = warehouse.rows("select * from marts.mart_source_health")
    status = {r["source_name"]: r for r in health if r["health_scope"] == "feed"}
    assert status["World Desk"]["health_status"] == "ok"
    assert status["Silent Times"]["health_status"] == "silent"
    assert status["Silent Times"]["articles_per_day_history"] > 0
    assert status["Broken Herald"]["health_status"] == "failing"
    assert status["Broken Herald"]["failures_recent"] > 0
    sites = {r["site_host"] for r in health if r["health_scope"] == "site"}
    assert {"worlddesk.test", "wire.test", "other.test", "silent.test"} <= sites


def test_full_refresh_equals_incremental_runs(warehouse: Warehouse) -> None:
    for relation, rows in warehouse.incremental_rows.items():
        assert rows, relation
        full = _snapshot(warehouse.url, relation)
        only_full, only_incremental = sorted(full - rows)[:3], sorted(rows - full)[:3]
        assert full == rows, f"{relation}\nfull: {only_full}\nincremental: {only_incremental}"


def test_a_batch_with_nothing_new_rewrites_nothing(warehouse: Warehouse) -> None:
    assert warehouse.empty_batch_writes == dict.fromkeys(ARTICLE_KEYED, 0)


def test_transform_cli_reports_json(warehouse: Warehouse) -> None:
    import json

    summary = json.loads(warehouse.incremental_cli.output)
    assert summary["status"] == "ok" and summary["success"]
    # the frequent selection: incremental models, their marts and data tests
    assert summary["counts"]["pass"] > 10
    assert not {"error", "fail"} & summary["counts"].keys()
    runs = warehouse.rows("select * from raw.runs where stage = 'transform'")
    assert _one(runs)["status"] == "ok"


def test_reader_role_sees_marts_only(warehouse: Warehouse) -> None:
    with psycopg.connect(warehouse.url, autocommit=True) as conn:
        if not conn.execute("select 1 from pg_roles where rolname = 'newsflow_reader'").fetchone():
            pytest.skip("the reader role could not be created on this server")
        conn.execute("set role newsflow_reader")
        assert conn.execute("select count(*) from marts.fct_events").fetchone()[0] > 0  # type: ignore[index]
        conn.execute("select count(*) from marts.mart_source_health")
        for relation in (
            "staging.stg_ingest__articles",
            "intermediate.int_event_mentions_coded",
            "seeds.actor_dictionary",
            "raw.articles",
        ):
            schema, table = relation.split(".")
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(
                    sql.SQL("select 1 from {}.{} limit 1").format(
                        sql.Identifier(schema), sql.Identifier(table)
                    )
                )


def test_retracted_event_leaves_the_marts(warehouse: Warehouse) -> None:
    """An event whose only article no longer reports it leaves fct_events and the day's counts."""
    day = fixtures.RETRACTED_DAY
    assert any(e["event_date"] == day for e in warehouse.events_before)
    assert not warehouse.rows("select * from marts.fct_events where event_date = %s", day)
    assert not warehouse.rows("select * from marts.mart_daily_events where event_date = %s", day)


def test_an_article_withdrawn_from_an_event_is_no_longer_counted(warehouse: Warehouse) -> None:
    day = fixtures.CORROBORATED_DAY
    before = [e for e in warehouse.events_before if e["event_date"] == day]
    assert [e["num_articles"] for e in before] == [2]
    after = warehouse.rows("select * from marts.fct_events where event_date = %s", day)
    assert [e["num_articles"] for e in after] == [1]
    # and so after the incremental run, not only after the full refresh
    assert warehouse.incremental_rows["marts.fct_events"] == _snapshot(
        warehouse.url, "marts.fct_events"
    )


def test_a_sport_result_is_kept_but_counts_in_no_event(warehouse: Warehouse) -> None:
    mention = _one(
        warehouse.rows(
            """
            select m.* from marts.fct_event_mentions as m
            where m.sentence_text like 'Ruritania beat Freedonia%%'
            """
        )
    )
    assert mention["event_type"] == "ASSAULT"  # what the verb would mean in a war
    assert (mention["is_countable"], mention["not_countable_reason"]) == (False, "topic_sport")
    assert mention["article_topic"] == "sport"
    assert not warehouse.rows(
        "select 1 from marts.fct_events where sentence like 'Ruritania beat%%'"
    )


def test_a_row_with_one_actor_on_both_sides_is_kept_but_not_counted(
    warehouse: Warehouse,
) -> None:
    mention = _one(
        warehouse.rows(
            "select * from marts.fct_event_mentions where sentence_text like 'Tehran urged Iran%%'"
        )
    )
    assert mention["event_type"] is not None
    assert mention["actor1_code"] == mention["actor2_code"] == "IRNGOV"
    assert (mention["is_countable"], mention["not_countable_reason"]) == (False, "same_actor")
    assert not warehouse.rows(
        "select 1 from marts.fct_events where sentence like 'Tehran urged Iran%%'"
    )


def test_a_town_is_an_actor_only_where_force_lands_on_it(warehouse: Warehouse) -> None:
    rows = {
        row["sentence_text"].split()[0]: row
        for row in warehouse.rows(
            "select * from marts.fct_event_mentions where sentence_text like '%%Ruritown%%'"
        )
    }
    promise, shelling = rows["Iran"], rows["Israel"]
    assert promise["actor2_country_code"] == shelling["actor2_country_code"] == "LBN"
    assert (promise["is_countable"], promise["not_countable_reason"]) == (False, "place_actor")
    assert shelling["event_type"] == "FIGHT"
    assert shelling["is_countable"], shelling["not_countable_reason"]


def test_a_government_of_no_country_is_kept_but_not_counted(warehouse: Warehouse) -> None:
    mention = _one(
        warehouse.rows(
            "select * from marts.fct_event_mentions where sentence_text like 'Diplomats urged%%'"
        )
    )
    assert (mention["actor1_code"], mention["actor1_country_code"]) == ("GOV", None)
    assert mention["event_type"] is not None
    assert (mention["is_countable"], mention["not_countable_reason"]) == (
        False,
        "source_without_country",
    )


def test_a_capital_s_envoy_is_the_country_s(warehouse: Warehouse) -> None:
    mention = _one(
        warehouse.rows(
            "select * from marts.fct_event_mentions where sentence_text like 'Tehran''s envoy%%'"
        )
    )
    assert (mention["actor1_code"], mention["actor1_resolution_rule"]) == ("IRNGOV", "nationality")


def test_every_row_has_a_confidence_from_what_made_it(warehouse: Warehouse) -> None:
    rows = warehouse.rows(
        "select confidence, confidence_features, is_countable, not_countable_reason"
        " from marts.fct_event_mentions where event_type is not null"
    )
    assert rows
    for row in rows:
        assert 0 < row["confidence"] < 1 and "bias" in row["confidence_features"]
        if row["not_countable_reason"] == "low_confidence":
            assert row["confidence"] < MIN_EVENT_CONFIDENCE
        if row["is_countable"]:
            assert row["confidence"] >= MIN_EVENT_CONFIDENCE


def test_a_warning_given_is_a_threat_not_aid(warehouse: Warehouse) -> None:
    warning = _one(
        warehouse.rows(
            "select * from marts.fct_events where actor1_code = 'IRNGOV' and actor2_code = 'ISRGOV'"
        )
    )
    assert (warning["event_type"], warning["quad_class"]) == ("THREATEN", 3)


def test_mart_contracts_are_enforced_by_postgres(warehouse: Warehouse) -> None:
    """Keys, not-null and accepted values of the marts are constraints, not after-the-fact tests."""
    with psycopg.connect(warehouse.url) as conn:
        kinds = {
            row[0]
            for row in conn.execute(
                "select contype from pg_constraint where conrelid = 'marts.fct_events'::regclass"
            )
        }
        assert {"p", "c"} <= kinds
        for bad in (
            "update marts.fct_events set quad_class = 5",
            "update marts.fct_events set num_articles = null",
            "update marts.fct_events set event_date = null where not is_background",
        ):
            with pytest.raises(psycopg.errors.IntegrityError), conn.transaction():
                conn.execute(bad)


def test_batch_runs_test_the_latest_write_and_other_runs_every_row(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    """An old fct_events row pointing at no actor: a batch's tests skip it, a full test fails it."""
    update = (
        "update marts.fct_events set actor1_code = %s, watermark_xmin = watermark_xmin + %s"
        " where event_id = %s"
    )
    with psycopg.connect(warehouse.url) as conn:
        row = conn.execute(
            "select event_id, actor1_code from marts.fct_events"
            " where actor1_code is not null limit 1"
        ).fetchone()
        assert row
        # written by an earlier build than the latest one
        conn.execute(update, ("NOT_AN_ACTOR", -1, row[0]))
    try:
        select = ["test", "--select", "fct_events,test_name:relationships"]
        batch = run_dbt(
            [*select, "--vars", "{per_batch_build: true}"],
            database_url=warehouse.url,
            capture=True,
            target_path=tmp_path,
        )
        assert batch.success, batch.output[-3000:]
        every_row = run_dbt(select, database_url=warehouse.url, capture=True, target_path=tmp_path)
        assert not every_row.success
        assert any("actor1_code" in uid for uid, _ in every_row.failures), every_row.failures
    finally:
        with psycopg.connect(warehouse.url) as conn:
            conn.execute(update, (row[1], 1, row[0]))
