"""Synthetic raw rows for the warehouse tests, shaped like the annotator's output.

The articles are written for these tests (no text from ``../shared``) and use
the same constructions as the project's seed article: an Iran-backed Iraqi
militia crossing into Syria to help Assad, the Syrian army routed by HTS,
the Iranian foreign minister (spelled Araqchi and Araghchi) meeting Assad in
Damascus, Turkey joining three-way talks with Russia and Iran, a speculative
claim, a demand that Turkey withdraw, and a background invasion.

Each article is described as sentences plus mention and event specs keyed by
the mention's surface text, and :func:`insert_article` turns that into rows of
``raw.articles``, ``raw.annotated_articles``, ``raw.sentences``,
``raw.actor_mentions`` and ``raw.event_mentions`` with correct character offsets.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import psycopg
from psycopg import sql


@dataclass
class Mention:
    text: str
    sentence: int
    label: str = "GPE"
    dictionary_key: str | None = None
    nationality: str | None = None
    role: str | None = None
    sponsor: str | None = None
    is_metonym: bool = False
    resolved_to: int | None = None  # index into the article's mentions
    place_country: str | None = None
    place_precision: str | None = None
    occurrence: int = 0  # which occurrence of `text` in the sentence


@dataclass
class Event:
    sentence: int
    trigger: str
    lemma: str
    predicate: str
    sources: list[int]
    targets: list[int] = field(default_factory=list)
    modality: str = "asserted"
    negated: bool = False
    is_background: bool = False
    attributed_to: int | None = None
    place: int | None = None  # mention index of the place
    event_date: date | None = None
    sponsor_text: str | None = None
    confidence: float = 0.8


@dataclass
class Article:
    url: str
    host: str
    sentences: list[str]
    mentions: list[Mention]
    events: list[Event]
    published_at: datetime | None
    first_seen_at: datetime
    cluster_of: str | None = None  # url of the first member of its near-duplicate cluster
    annotator_version: str = "test-1"
    annotated_at: datetime | None = None
    feed_url: str | None = None
    title: str = "Test article"
    topic: str | None = "politics"


def _offset(text: str, needle: str, occurrence: int = 0) -> int:
    start = -1
    for _ in range(occurrence + 1):
        start = text.find(needle, start + 1)
        if start < 0:
            raise ValueError(f"{needle!r} not found in {text!r}")
    return start


def insert_feed(conn: psycopg.Connection, url: str, name: str, **fields: Any) -> int:
    columns = ["url", "name", *fields]
    values = [url, name, *fields.values()]
    query = sql.SQL("insert into raw.feeds ({}) values ({}) returning feed_id").format(
        sql.SQL(", ").join(sql.Identifier(c) for c in columns),
        sql.SQL(", ").join(sql.Placeholder() * len(values)),
    )
    row = conn.execute(query, values).fetchone()
    assert row is not None
    return int(row[0])


def insert_fetched_feed(
    conn: psycopg.Connection, url: str, name: str, site: str, fetched_at: datetime
) -> int:
    """A feed of http://<site>/ whose last fetch, at fetched_at, succeeded."""
    return insert_feed(
        conn,
        url,
        name,
        site_url=f"http://{site}/",
        last_success_at=fetched_at,
        last_fetched_at=fetched_at,
    )


def insert_article(conn: psycopg.Connection, article: Article) -> int:
    """Insert one article and its annotation; return the article_id."""
    text = " ".join(article.sentences)
    sentence_starts = []
    position = 0
    for sentence in article.sentences:
        sentence_starts.append(position)
        position += len(sentence) + 1
    feed_id = None
    if article.feed_url:
        row = conn.execute(
            "select feed_id from raw.feeds where url = %s", (article.feed_url,)
        ).fetchone()
        feed_id = row[0] if row else None
    cluster_id = None
    if article.cluster_of:
        row = conn.execute(
            "select article_id from raw.articles where canonical_url = %s", (article.cluster_of,)
        ).fetchone()
        assert row is not None, "insert the cluster's first member first"
        cluster_id = row[0]
    row = conn.execute(
        """
        insert into raw.articles (
            canonical_url, url, feed_id, title, published_at, host, language, text,
            word_count, content_hash, cluster_id, extractor, extractor_version,
            first_seen_at, fetched_at, loaded_at
        ) values (%s, %s, %s, %s, %s, %s, 'en', %s, %s, %s, %s, 'test', '1', %s, %s, %s)
        returning article_id
        """,
        (
            article.url,
            article.url,
            feed_id,
            article.title,
            article.published_at,
            article.host,
            text,
            len(text.split()),
            hashlib.sha256(text.encode()).hexdigest(),
            cluster_id,
            article.first_seen_at,
            article.first_seen_at,
            article.first_seen_at + timedelta(minutes=1),
        ),
    ).fetchone()
    assert row is not None
    article_id = int(row[0])
    if cluster_id is None:
        conn.execute(
            "update raw.articles set cluster_id = article_id where article_id = %s", (article_id,)
        )
    if feed_id is not None:
        conn.execute(
            "insert into raw.article_sources (article_id, feed_id, entry_key, linked_url) "
            "values (%s, %s, %s, %s)",
            (article_id, feed_id, article.url, article.url),
        )
    annotate(conn, article_id, article, text, sentence_starts)
    return article_id


def annotate(
    conn: psycopg.Connection,
    article_id: int,
    article: Article,
    text: str | None = None,
    sentence_starts: list[int] | None = None,
) -> None:
    """Write the annotation rows of ``article`` (its annotator_version) for ``article_id``."""
    if text is None or sentence_starts is None:
        text = " ".join(article.sentences)
        sentence_starts = []
        position = 0
        for sentence in article.sentences:
            sentence_starts.append(position)
            position += len(sentence) + 1
    version = article.annotator_version
    conn.execute(
        """
        insert into raw.annotated_articles (
            article_id, annotator_version, status, language, pipeline,
            n_sentences, n_actor_mentions, n_event_mentions, annotated_at, topic, topic_evidence
        ) values (%s, %s, 'ok', 'en', 'rules', %s, %s, %s, coalesce(%s, now()), %s, %s)
        """,
        (
            article_id,
            version,
            len(article.sentences),
            len(article.mentions),
            len(article.events),
            article.annotated_at,
            article.topic,
            f"test:{article.topic}" if article.topic else None,
        ),
    )
    for index, sentence in enumerate(article.sentences):
        start = sentence_starts[index]
        conn.execute(
            "insert into raw.sentences values (%s, %s, %s, %s, %s, %s)",
            (article_id, version, index, start, start + len(sentence), sentence),
        )
    for index, mention in enumerate(article.mentions):
        sentence = article.sentences[mention.sentence]
        start = sentence_starts[mention.sentence] + _offset(
            sentence, mention.text, mention.occurrence
        )
        resolved = None if mention.resolved_to is None else article.mentions[mention.resolved_to]
        conn.execute(
            """
            insert into raw.actor_mentions (
                article_id, annotator_version, mention_index, sentence_index, start_char,
                end_char, text, label, method, dictionary_key, resolved_text,
                resolved_mention_index, is_metonym, nationality, role, sponsor,
                place_country, place_precision
            ) values (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)
            """,
            (
                article_id,
                version,
                index,
                mention.sentence,
                start,
                start + len(mention.text),
                mention.text,
                mention.label,
                "dictionary" if mention.dictionary_key else "rules",
                mention.dictionary_key,
                resolved.text if resolved else None,
                mention.resolved_to,
                mention.is_metonym,
                mention.nationality,
                mention.role,
                mention.sponsor,
                mention.place_country,
                mention.place_precision,
            ),
        )
    for index, event in enumerate(article.events):
        sentence = article.sentences[event.sentence]
        start = sentence_starts[event.sentence] + _offset(sentence, event.trigger)
        place = article.mentions[event.place] if event.place is not None else None
        conn.execute(
            """
            insert into raw.event_mentions (
                article_id, annotator_version, event_index, sentence_index, trigger_start,
                trigger_end, trigger_text, trigger_lemma, predicate, source_mentions,
                target_mentions, source_text, target_text, attributed_to, negated, modality,
                is_background, place_text, place_source, place_mention_index, place_country,
                place_precision, event_date, sponsor_text, confidence
            ) values (
                %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s,
                %s, %s, %s, %s, %s, %s
            )
            """,
            (
                article_id,
                version,
                index,
                event.sentence,
                start,
                start + len(event.trigger),
                event.trigger,
                event.lemma,
                event.predicate,
                event.sources,
                event.targets,
                ", ".join(article.mentions[i].text for i in event.sources) or None,
                ", ".join(article.mentions[i].text for i in event.targets) or None,
                event.attributed_to,
                event.negated,
                event.modality,
                event.is_background,
                place.text if place else None,
                "locative" if place else None,
                event.place,
                place.place_country if place else None,
                place.place_precision if place else None,
                event.event_date,
                event.sponsor_text,
                event.confidence,
            ),
        )


# ---------------------------------------------------------------------------
# The storyline
# ---------------------------------------------------------------------------

SUNDAY = date(2024, 12, 1)
MONDAY = date(2024, 12, 2)
FEED_URL = "http://127.0.0.1:9/world/rss.xml"
WIRE_FEED_URL = "http://127.0.0.1:9/wire/rss.xml"


def militia_article(now: datetime) -> Article:
    """The main report, with every construction the acceptance names."""
    sentences = [
        # 0
        "Hundreds of Iran-backed Shiite militia fighters from Iraq crossed the border into "
        "Syria to help President Bashar Assad battle an offensive by Islamist rebels near Aleppo.",
        # 1
        "Iraqi security officials said the fighters used a dirt road to slip into Syria.",
        # 2
        "The Syrian army was routed by the insurgents of Hayat Tahrir al-Sham (HTS).",
        # 3
        "Iranian Foreign Minister Abbas Araqchi met with Assad in Damascus on Sunday evening.",
        # 4
        "Araghchi said Tehran stands by Damascus.",
        # 5
        "On Monday, Turkish Foreign Minister Hakan Fidan said Turkey has joined three-way "
        "talks with Russia and Iran to restore calm in Aleppo.",
        # 6
        "The Associated Press speculated that Turkey might have backed the rebel offensive.",
        # 7
        "Assad has insisted that Turkey must withdraw its forces from Syria.",
        # 8
        "Turkey invaded Syria years ago.",
        # 9
        "Russia did not attack the rebels.",
        # 10
        "The Zorgan Brigade stayed out of the battle, and the Zorgan Brigade said nothing.",
    ]
    m = [
        Mention(  # 0
            "Iran-backed Shiite militia fighters from Iraq",
            0,
            label="NORP",
            nationality="Iraq",
            role="militia fighters",
            sponsor="Iran",
        ),
        Mention("Syria", 0, dictionary_key="SYR"),  # 1
        Mention("Bashar Assad", 0, label="PERSON", role="President"),  # 2
        Mention("Islamist rebels", 0, label="NORP", role="rebels"),  # 3
        Mention("Aleppo", 0, place_country="SYR", place_precision="city"),  # 4
        Mention(  # 5
            "Iraqi security officials",
            1,
            label="NORP",
            nationality="Iraqi",
            role="security officials",
        ),
        Mention("The Syrian army", 2, label="ORG", nationality="Syrian", role="army"),  # 6
        Mention("Hayat Tahrir al-Sham", 2, label="ORG"),  # 7
        Mention(  # 8
            "Abbas Araqchi",
            3,
            label="PERSON",
            nationality="Iranian",
            role="Foreign Minister",
        ),
        Mention("Assad", 3, label="PERSON", resolved_to=2),  # 9
        Mention("Damascus", 3, place_country="SYR", place_precision="city"),  # 10
        Mention("Araghchi", 4, label="PERSON"),  # 11
        Mention("Tehran", 4, is_metonym=True),  # 12
        Mention("Damascus", 4, is_metonym=True),  # 13
        Mention(  # 14
            "Hakan Fidan", 5, label="PERSON", nationality="Turkish", role="Foreign Minister"
        ),
        Mention("Turkey", 5, dictionary_key="TUR"),  # 15
        Mention("Russia", 5, dictionary_key="RUS"),  # 16
        Mention("Iran", 5, dictionary_key="IRN"),  # 17
        Mention("Aleppo", 5, place_country="SYR", place_precision="city"),  # 18
        Mention("The Associated Press", 6, label="ORG"),  # 19
        Mention("Turkey", 6, dictionary_key="TUR"),  # 20
        Mention("rebel", 6, label="NORP", role="rebel offensive"),  # 21
        Mention("Assad", 7, label="PERSON", resolved_to=2),  # 22
        Mention("Turkey", 7, dictionary_key="TUR"),  # 23
        Mention("Syria", 7, dictionary_key="SYR"),  # 24
        Mention("Turkey", 8, dictionary_key="TUR"),  # 25
        Mention("Syria", 8, dictionary_key="SYR"),  # 26
        Mention("Russia", 9, dictionary_key="RUS"),  # 27
        Mention("the rebels", 9, label="NORP", role="rebels"),  # 28
        Mention("Zorgan Brigade", 10, label="ORG"),  # 29: not in the dictionary
        Mention("Zorgan Brigade", 10, label="ORG", occurrence=1),  # 30
    ]
    e = [
        Event(
            0,
            "help",
            "help",
            "help",
            sources=[0],
            targets=[2],
            sponsor_text="Iran",
            modality="reported",
            event_date=SUNDAY,
        ),
        Event(0, "crossed", "cross", "cross into", sources=[0], targets=[1], event_date=SUNDAY),
        Event(2, "routed", "rout", "rout", sources=[7], targets=[6]),
        Event(3, "met", "meet", "meet with", sources=[8], targets=[9], place=10, event_date=SUNDAY),
        Event(4, "stands by", "stand", "stand by", sources=[12], targets=[13], attributed_to=11),
        Event(
            5,
            "joined",
            "join",
            "join talks with",
            sources=[15],
            targets=[16, 17],
            attributed_to=14,
            modality="reported",
            event_date=MONDAY,
        ),
        Event(
            6,
            "backed",
            "back",
            "back",
            sources=[20],
            targets=[21],
            modality="speculative",
            attributed_to=19,
        ),
        Event(
            7,
            "withdraw",
            "withdraw",
            "withdraw from",
            sources=[23],
            targets=[24],
            modality="demanded",
            attributed_to=22,
        ),
        Event(8, "invaded", "invade", "invade", sources=[25], targets=[26], is_background=True),
        Event(9, "attack", "attack", "attack", sources=[27], targets=[28], negated=True),
    ]
    return Article(
        url="http://127.0.0.1:9/world/2024/12/02/militias-cross-into-syria",
        host="worlddesk.test",
        sentences=sentences,
        mentions=m,
        events=e,
        published_at=datetime(2024, 12, 2, 22, 35, tzinfo=UTC),
        first_seen_at=now - timedelta(days=1, hours=2),
        feed_url=FEED_URL,
        title="Iraqi militias cross into Syria to help Assad",
    )


def syndicated_copy(now: datetime) -> Article:
    """A wire copy of the meeting on another site: same cluster, must not add an article."""
    sentences = [
        "Iranian Foreign Minister Abbas Araqchi met with Assad in Damascus on Sunday evening.",
        "Bashar Assad thanked Iran.",
    ]
    m = [
        Mention("Abbas Araqchi", 0, label="PERSON", nationality="Iranian", role="Foreign Minister"),
        Mention("Assad", 0, label="PERSON", resolved_to=3),
        Mention("Damascus", 0, place_country="SYR", place_precision="city"),
        Mention("Bashar Assad", 1, label="PERSON"),
        Mention("Iran", 1, dictionary_key="IRN"),
    ]
    e = [
        Event(0, "met", "meet", "meet with", sources=[0], targets=[1], place=2, event_date=SUNDAY),
    ]
    return Article(
        url="http://127.0.0.1:9/wire/2024/12/02/araqchi-meets-assad",
        host="wire.test",
        sentences=sentences,
        mentions=m,
        events=e,
        published_at=datetime(2024, 12, 2, 23, 5, tzinfo=UTC),
        first_seen_at=now - timedelta(days=1),
        cluster_of="http://127.0.0.1:9/world/2024/12/02/militias-cross-into-syria",
        feed_url=WIRE_FEED_URL,
        title="Araqchi meets Assad",
    )


def later_report(now: datetime) -> Article:
    """An independent later article on the meeting: arrives after the first build."""
    sentences = [
        "Abbas Araghchi met with Assad in Damascus on Sunday, Iranian media reported.",
        "Iran gave a warning to Israel.",
    ]
    m = [
        Mention("Abbas Araghchi", 0, label="PERSON"),
        Mention("Assad", 0, label="PERSON"),
        Mention("Damascus", 0, place_country="SYR", place_precision="city"),
        Mention("Iran", 1, dictionary_key="IRN"),
        Mention("Israel", 1, dictionary_key="ISR"),
    ]
    e = [
        # a light verb that is also a codebook verb (give: AID) keeps its noun
        Event(1, "gave", "give", "give warning to", sources=[3], targets=[4], event_date=SUNDAY),
        Event(
            0,
            "met",
            "meet",
            "meet with",
            sources=[0],
            targets=[1],
            place=2,
            event_date=SUNDAY,
            modality="reported",
        ),
    ]
    return Article(
        url="http://127.0.0.1:9/other/2024/12/03/tehran-damascus",
        host="other.test",
        sentences=sentences,
        mentions=m,
        events=e,
        published_at=datetime(2024, 12, 3, 8, 0, tzinfo=UTC),
        first_seen_at=now - timedelta(hours=3),
        title="Tehran and Damascus",
    )


def _late_story(
    now: datetime,
    path: str,
    title: str,
    sentences: list[str],
    mentions: list[Mention],
    events: list[Event],
    hour: int,
    topic: str = "politics",
) -> Article:
    """A one-off story of other.test, published on the evening of 2 December."""
    return Article(
        url=f"http://127.0.0.1:9/{path}",
        host="other.test",
        sentences=sentences,
        mentions=mentions,
        events=events,
        published_at=datetime(2024, 12, 2, hour, 0, tzinfo=UTC),
        first_seen_at=now - timedelta(days=1),
        title=title,
        topic=topic,
    )


def match_report(now: datetime) -> Article:
    """A sport result between two countries' teams: a match, not an assault."""
    sentences = ["Ruritania beat Freedonia 2-0 in the cup final on Sunday."]
    m = [
        Mention("Ruritania", 0, dictionary_key="IRN"),
        Mention("Freedonia", 0, dictionary_key="ISR"),
    ]
    e = [Event(0, "beat", "beat", "beat", sources=[0], targets=[1], event_date=SUNDAY)]
    return _late_story(
        now, "sports/2024/12/02/cup-final", "Cup final", sentences, m, e, hour=20, topic="sport"
    )


def self_addressed_report(now: datetime) -> Article:
    """A row whose source and target resolve to one actor code: no dyad to count."""
    sentences = ["Tehran urged Iran to free the detained sailors."]
    m = [
        Mention("Tehran", 0, dictionary_key="IRN"),
        Mention("Iran", 0, dictionary_key="IRN"),
    ]
    e = [Event(0, "urged", "urge", "urge", sources=[0], targets=[1], event_date=SUNDAY)]
    return _late_story(
        now, "world/2024/12/02/tehran-urges", "Tehran urges", sentences, m, e, hour=21
    )


def town_report(now: datetime) -> Article:
    """A town as the target of a promise, and a town that is shelled."""
    sentences = [
        "Iran promised Ruritown a new hospital.",
        "Israel shelled Ruritown overnight.",
    ]
    m = [
        Mention("Iran", 0, dictionary_key="IRN"),
        Mention("Ruritown", 0, place_country="LBN", place_precision="city"),
        Mention("Israel", 1, dictionary_key="ISR"),
        Mention("Ruritown", 1, place_country="LBN", place_precision="city"),
    ]
    e = [
        Event(0, "promised", "promise", "promise", sources=[0], targets=[1], event_date=SUNDAY),
        Event(1, "shelled", "shell", "shell", sources=[2], targets=[3], event_date=SUNDAY),
    ]
    return _late_story(now, "world/2024/12/02/ruritown", "Ruritown", sentences, m, e, hour=22)


def unplaced_report(now: datetime) -> Article:
    """Diplomats of no country, and an envoy known by the capital."""
    sentences = [
        "Diplomats urged Iran and Israel to talk.",
        "The Iranian president is due to visit Ruritown's ally Israel.",
        "Tehran's envoy criticised Syria.",
    ]
    m = [
        Mention("Diplomats", 0, label="NORP", role="diplomats"),
        Mention("Iran", 0, dictionary_key="IRN"),
        Mention("Israel", 0, dictionary_key="ISR"),
        Mention("Iranian president", 1, label="NORP", nationality="Iranian", role="president"),
        Mention("Israel", 1, dictionary_key="ISR"),
        Mention("Tehran's envoy", 2, label="NORP", nationality="Tehran", role="envoy"),
        Mention("Syria", 2, dictionary_key="SYR"),
    ]
    e = [
        Event(0, "urged", "urge", "urge", sources=[0], targets=[1], event_date=SUNDAY),
        Event(
            1,
            "visit",
            "visit",
            "visit",
            sources=[3],
            targets=[4],
            modality="speculative",
            event_date=SUNDAY,
        ),
        Event(2, "criticised", "criticise", "criticise", sources=[5], targets=[6]),
    ]
    return _late_story(now, "world/2024/12/02/diplomats", "Diplomats", sentences, m, e, hour=23)


def insert_feeds_and_fetches(conn: psycopg.Connection, now: datetime) -> dict[str, int]:
    """Three feeds for source health: healthy, silent (no recent articles), failing."""
    hour = timedelta(hours=1)
    feeds = {
        "world": insert_fetched_feed(conn, FEED_URL, "World Desk", "worlddesk.test", now - hour),
        "wire": insert_fetched_feed(conn, WIRE_FEED_URL, "Wire", "wire.test", now - 2 * hour),
        "silent": insert_fetched_feed(
            conn, "http://127.0.0.1:9/silent/rss.xml", "Silent Times", "silent.test", now - hour
        ),
        "broken": insert_feed(
            conn,
            "http://127.0.0.1:9/broken/rss.xml",
            "Broken Herald",
            site_url="http://broken.test/",
            consecutive_failures=5,
            last_success_at=now - timedelta(days=9),
            last_fetched_at=now - timedelta(minutes=5),
            last_outcome="timeout",
        ),
    }
    for days_ago in range(0, 30, 2):
        at = now - timedelta(days=days_ago, hours=1)
        for feed in ("world", "wire", "silent"):
            conn.execute(
                "insert into raw.fetch_log (kind, url, host, feed_id, status, outcome, fetched_at)"
                " values ('feed', 'http://127.0.0.1:9/x', '127.0.0.1', %s, 200, 'ok', %s)",
                (feeds[feed], at),
            )
        conn.execute(
            "insert into raw.fetch_log (kind, url, host, feed_id, status, outcome, fetched_at)"
            " values ('feed', 'http://127.0.0.1:9/broken/rss.xml', '127.0.0.1', %s, null,"
            " %s, %s)",
            (feeds["broken"], "ok" if days_ago > 10 else "timeout", at),
        )
    # the silent feed's site published every few days until two weeks ago
    for days_ago in range(14, 34, 3):
        conn.execute(
            """
            insert into raw.articles (
                canonical_url, url, feed_id, title, host, text, word_count, content_hash,
                extractor, extractor_version, first_seen_at, fetched_at
            ) values (%s, %s, %s, 'old', 'silent.test', 'old text', 600, %s, 'test', '1', %s, %s)
            """,
            (
                f"http://127.0.0.1:9/silent/{days_ago}",
                f"http://127.0.0.1:9/silent/{days_ago}",
                feeds["silent"],
                f"hash-silent-{days_ago}",
                now - timedelta(days=days_ago),
                now - timedelta(days=days_ago),
            ),
        )
    return feeds


def _meeting_report(
    now: datetime,
    *,
    sentence: str,
    mentions: list[Mention],
    day: date,
    url: str,
    host: str,
    title: str,
    annotator_version: str,
) -> Article:
    """A one-sentence report of a meeting (mentions: who met, whom, where) on ``day``,
    whose event an annotation by any version but test-1 no longer finds."""
    event = Event(0, "met", "meet", "meet", sources=[0], targets=[1], place=2, event_date=day)
    return Article(
        url=url,
        host=host,
        sentences=[sentence],
        mentions=mentions,
        events=[event] if annotator_version == "test-1" else [],
        published_at=datetime(day.year, day.month, day.day, 9, 0, tzinfo=UTC),
        first_seen_at=now - timedelta(days=2),
        title=title,
        annotator_version=annotator_version,
    )


RETRACTED_DAY = date(2024, 11, 20)


def retracted_report(now: datetime, annotator_version: str = "test-1") -> Article:
    """A report whose only event goes away when it is annotated again (version test-2)."""
    return _meeting_report(
        now,
        sentence="Kenya's President William Ruto met Tanzanian officials in Nairobi.",
        mentions=[
            Mention("William Ruto", 0, label="PERSON", nationality="Kenya", role="President"),
            Mention(
                "Tanzanian officials", 0, label="NORP", nationality="Tanzanian", role="officials"
            ),
            Mention("Nairobi", 0, place_country="KEN", place_precision="city"),
        ],
        day=RETRACTED_DAY,
        url="http://127.0.0.1:9/other/2024/11/20/ruto-meets-tanzanians",
        host="other.test",
        title="Ruto meets Tanzanian officials",
        annotator_version=annotator_version,
    )


CORROBORATED_DAY = date(2024, 11, 18)


def corroborated_report(now: datetime, host: str, annotator_version: str = "test-1") -> Article:
    """One of two independent reports of a meeting; annotated again (test-2), it drops it."""
    return _meeting_report(
        now,
        sentence="Egyptian Foreign Minister Badr Abdelatty met Sudanese officials in Cairo.",
        mentions=[
            Mention(
                "Badr Abdelatty", 0, label="PERSON", nationality="Egyptian", role="Foreign Minister"
            ),
            Mention(
                "Sudanese officials", 0, label="NORP", nationality="Sudanese", role="officials"
            ),
            Mention("Cairo", 0, place_country="EGY", place_precision="city"),
        ],
        day=CORROBORATED_DAY,
        url=f"http://127.0.0.1:9/{host}/2024/11/18/abdelatty-meets-sudanese",
        host=host,
        title="Abdelatty meets Sudanese officials",
        annotator_version=annotator_version,
    )


def load_initial(conn: psycopg.Connection, now: datetime) -> dict[str, int]:
    """Everything the first build sees; returns article ids by name."""
    insert_feeds_and_fetches(conn, now)
    return {
        "militia": insert_article(conn, militia_article(now)),
        "wire": insert_article(conn, syndicated_copy(now)),
        "retracted": insert_article(conn, retracted_report(now)),
        "corroborated": insert_article(conn, corroborated_report(now, "nile.test")),
        "corroborating": insert_article(conn, corroborated_report(now, "delta.test")),
        "match": insert_article(conn, match_report(now)),
        "self_addressed": insert_article(conn, self_addressed_report(now)),
        "town": insert_article(conn, town_report(now)),
        "unplaced": insert_article(conn, unplaced_report(now)),
    }
