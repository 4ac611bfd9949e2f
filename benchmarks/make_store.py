"""Generate a large briefing store THROUGH THE REAL INGEST PATH, and cache it.

    uv run python benchmarks/make_store.py [--articles 100000] [--feeds 200]
        [--relevant 0.10] [--days 365] [--seed 6] [--workers 2] [--force]

What it does, per feed (200 outlets of our own invention):

1. writes RSS 2.0 documents of 50 items each, in our own words (synthetic
   vocabularies below, a deterministic RNG per document): about 10% of the
   items are about the bundled story (its actors, keywords and question
   terms from the bundled feeds.toml), some of those are lightly edited
   copies of a "wire" story other outlets carry too; the rest are sport,
   weather, business, culture, science, health, local politics and world
   news, a few of which mention Syria or Turkey in passing. Dates are spread
   over the `--days` before the day the store is made, so `briefing prune`
   has work to do;
2. parses each document with `briefing.ingest.feed.parse_feed` (feedparser and the
   same cleaning as a refresh) in a pool of worker processes;
3. stores each document's articles with `Store.upsert_articles` (one
   transaction per document, as a refresh does), then records the feed;
4. runs `briefing.workspace.analyse_articles` over every stored article in
   the worker processes, a batch of 500 at a time, and stores the results
   with `Store.put_analyses` (exactly what `analyse_pending` does, spread
   over the cores), then calls `analyse_pending` itself, which must find
   nothing left to do;
5. checkpoints the WAL into the file.

The store is cached as benchmarks/results/store-<key>.db (gitignored), the
key made from the parameters, the generator version and the store schema
version; a sidecar .json holds what was generated (article counts, raw text
bytes, how long it took). An existing store is reused; only step 4 runs
again if the analysis version or the story changed since.

As a module: `ensure_store(articles=..., ...) -> (Path, info dict)`.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import multiprocessing
import os
import random
import sqlite3
import sys
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from html import escape
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

RESULTS = REPO / "benchmarks" / "results"
CONFIG = REPO / "feeds.toml"  # the bundled story
GENERATOR_VERSION = 2  # bump when the generated text below changes
ITEMS_PER_DOCUMENT = 50
ANALYSE_BATCH = 500
UTC = UTC

# --- words of our own ---------------------------------------------------------------

_ONSETS = (
    "b",
    "br",
    "c",
    "ch",
    "d",
    "dr",
    "f",
    "g",
    "gr",
    "h",
    "j",
    "k",
    "kl",
    "l",
    "m",
    "n",
    "p",
    "pr",
    "r",
    "s",
    "sh",
    "st",
    "t",
    "tr",
    "v",
    "w",
    "z",
    "",
)
_VOWELS = ("a", "e", "i", "o", "u", "ai", "ea", "io", "ou", "y")
_CODAS = ("", "n", "r", "l", "s", "th", "rk", "nd", "m", "x", "ck", "ng", "lt")


def _coined(rng: random.Random, syllables: int) -> str:
    word = "".join(rng.choice(_ONSETS) + rng.choice(_VOWELS) + rng.choice(_CODAS) for _ in range(syllables))
    return word.capitalize()


def _lexicon(seed: int) -> dict[str, list[str]]:
    """Invented proper names: a long tail of rare words, as real news has."""
    rng = random.Random(seed)
    names = {"given": 600, "family": 4000, "town": 1500, "firm": 800, "team": 300, "thing": 1200}
    out: dict[str, list[str]] = {}
    for kind, count in names.items():
        seen: set[str] = set()
        while len(seen) < count:
            seen.add(_coined(rng, rng.choice((2, 2, 3))))
        out[kind] = sorted(seen)
    return out


_STORY_PEOPLE = (
    ("Ahmed al-Sharaa", "Syria's interim president"),
    ("Recep Tayyip Erdoğan", "Turkey's president"),
    ("Murhaf Abu Qasra", "Syria's defence minister"),
    ("Hakan Fidan", "Turkey's foreign minister"),
    ("Fahrettin Altun", "the Turkish communications director"),
    ("Mazloum Abdi", "the SDF commander"),
    ("Dmitry Peskov", "the Kremlin spokesman"),
)
_SHORT = {
    "Ahmed al-Sharaa": "al-Sharaa",
    "Recep Tayyip Erdoğan": "Erdoğan",
    "Murhaf Abu Qasra": "Abu Qasra",
    "Hakan Fidan": "Fidan",
    "Fahrettin Altun": "Altun",
    "Mazloum Abdi": "Abdi",
    "Dmitry Peskov": "Peskov",
}
_STATES = ("Turkey", "Türkiye", "Syria", "Russia", "Israel", "Iran", "Saudi Arabia")
_CAPITALS = ("Ankara", "Damascus", "Moscow", "Riyadh", "Tehran")
_TOPICS = (
    "a defence pact",
    "the defense pact",
    "Turkish air bases in the Badia desert",
    "training for the new Syrian army",
    "the future of Russia's naval base at Tartous",
    "the Hmeimim air base near Latakia",
    "whether the SDF will disband",
    "folding the Syrian Democratic Forces into a national army",
    "Israel's buffer zone in southern Syria",
    "the 1974 disengagement line on the Golan",
    "control of Syrian airspace",
    "air defence systems for Damascus",
    "the fight against ISIS",
    "the return of refugees from Turkey",
)
_VERBS = ("discussed", "raised", "played down", "pressed for", "ruled out", "welcomed", "questioned", "focused on")
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_JOBS = (
    "analyst",
    "researcher",
    "former diplomat",
    "retired general",
    "economist",
    "lawmaker",
    "professor",
    "security consultant",
    "journalist",
    "shopkeeper",
    "farmer",
    "teacher",
    "engineer",
    "nurse",
)


class Writer:
    """Sentences in our own words, filled from a deterministic RNG."""

    def __init__(self, rng: random.Random, lex: dict[str, list[str]]) -> None:
        self.rng = rng
        self.lex = lex

    def person(self) -> str:
        return f"{self.rng.choice(self.lex['given'])} {self.rare('family')}"

    def town(self) -> str:
        return self.rare("town")

    def rare(self, kind: str) -> str:
        """Mostly a name from the lexicon; now and then one coined here and
        likely never seen again: news has a long tail of rare words, which is
        what a full-text index and a rare-word search are made of."""
        if self.rng.random() < 0.12:
            return _coined(self.rng, self.rng.choice((2, 3, 3)))
        return self.rng.choice(self.lex[kind])

    def firm(self) -> str:
        return self.rng.choice(self.lex["firm"]) + self.rng.choice((" Holdings", " Group", "", " Systems", " & Co"))

    def when(self) -> str:
        r = self.rng.random()
        if r < 0.5:
            return f"on {self.rng.choice(_WEEKDAYS)}"
        if r < 0.8:
            return f"on {self.rng.choice(_MONTHS)} {self.rng.randint(1, 28)}"
        return "last week"

    def n(self, a: int = 2, b: int = 90) -> int:
        return self.rng.randint(a, b)

    # -- the story --------------------------------------------------------------------

    def fill(self, template: str) -> str:
        """Fill a template's {slots}, drawing only the values it uses."""
        return template.format_map(_Slots(self))

    # -- the story --------------------------------------------------------------------

    def story_sentence(self) -> str:
        return self.fill(self.rng.choice(_STORY_SENTENCES))

    def story_title(self) -> str:
        return self.fill(self.rng.choice(_STORY_TITLES))

    # -- everything else --------------------------------------------------------------

    def other_sentence(self, desk: str) -> str:
        return self.fill(self.rng.choice(_DESK_SENTENCES[desk]))

    def other_title(self, desk: str) -> str:
        return self.fill(self.rng.choice(_DESK_TITLES[desk]))


class _Slots(dict):
    """The values a template may ask for, each drawn when first asked."""

    def __init__(self, w: Writer) -> None:
        super().__init__()
        self.w = w
        self.actor = w.rng.choice(_STORY_PEOPLE)

    def __missing__(self, key: str) -> str:
        w, r = self.w, self.w.rng
        base = key.rstrip("0123456789")
        value = {
            "name": lambda: self.actor[0],
            "role": lambda: self.actor[1],
            "short": lambda: _SHORT[self.actor[0]],
            "person": w.person,
            "town": w.town,
            "firm": w.firm,
            "when": w.when,
            "n": lambda: w.n(),
            "small": lambda: w.n(0, 5),
            "big": lambda: w.n(100, 900),
            "pct": lambda: w.n(1, 30),
            "job": lambda: r.choice(_JOBS),
            "topic": lambda: r.choice(_TOPICS),
            "verb": lambda: r.choice(_VERBS),
            "cap": lambda: r.choice(_CAPITALS),
            "state": lambda: r.choice(_STATES),
            "month": lambda: r.choice(_MONTHS),
            "thing": lambda: r.choice(w.lex["thing"]),
            "team": lambda: r.choice(w.lex["team"]),
            "rival": lambda: r.choice(("Russia", "Israel", "the Kurds", "Iran")),
        }[base]()
        self[key] = value
        return value


_STORY_SENTENCES = (
    "{name}, {role}, {verb} {topic} in talks in {cap} {when}.",
    "Officials in Ankara and Damascus {verb} {topic}, according to two people briefed on the meetings.",
    "{short} said {when} that {topic} was not yet settled.",
    '"We are not in a hurry, but {topic} cannot wait forever," {short} told reporters in {cap}.',
    '"Nobody in {cap} should read too much into one visit," {person}, a {job} in {town}, said.',
    "The Kremlin said its contacts with Damascus over the bases at Tartous and Hmeimim would continue.",
    "Peskov declined to say whether Moscow expected to keep the naval base at Tartous.",
    "Turkey has long demanded that the SDF disband and that Kurdish fighters of the YPG leave the border.",
    "Mazloum Abdi said the Syrian Democratic Forces were ready to join a national army on conditions.",
    "Israel has kept troops in the buffer zone in southern Syria since December, beyond the 1974 line.",
    "A draft of the defense pact would let Turkey use Syrian airspace and set up an air base in the Badia.",
    "Abu Qasra met Turkish officers {when} to discuss training for the Syrian army, a ministry statement said.",
    "Erdoğan told lawmakers in Ankara that Türkiye would stand by Syria's territorial integrity.",
    "Fidan said {state} and Turkey shared an interest in defeating ISIS in the east.",
    "Diplomats in {cap} expect {topic} to come up again when the ministers meet {when}.",
    "{person}, a {job} who follows Syria closely, said the talks showed how fast the region was shifting.",
    "Iran, which backed Bashar al-Assad for more than a decade, has lost most of its influence in Damascus.",
    "Satellite images published {when} showed aircraft at the Hmeimim base near Latakia.",
    "The Syrian defence ministry said {n} brigades had been merged into the new Syrian army.",
    "Will the pact survive the pressure from Moscow and from Israel?",
    "Al-Sharaa visited Riyadh before travelling to Ankara, his second trip abroad since taking office.",
    "Altun said the two presidents had agreed to set up a joint committee on security.",
    "The talks between Türkiye and Syria were the first at that level in {n} years.",
    "Reports of Turkish air defence systems being moved to central Syria could not be confirmed.",
    "{person} of the {town} Institute said {topic} would test the new government in Damascus.",
)
_STORY_TITLES = (
    "{short} and {state} weigh {topic}",
    "Türkiye and Syria discuss {topic}",
    "What a Turkey–Syria defence pact could mean for {rival}",
    "{short} {verb} {topic}",
    "Ankara talks: {topic}",
)
_DESK_SENTENCES = {
    "sport": (
        "{team} beat {team2} {small}-{small2} {when} after a late goal from {person}.",
        "Coach {person} said the squad would rest before the cup tie in {town}.",
        "{person} finished the race in two hours and {n} minutes, a course record.",
        "Tickets for the derby in {town} sold out within {n} minutes.",
        "The league confirmed that the final round will be played under floodlights in {town}.",
        "{person} has now scored in {small} straight games for {team}.",
    ),
    "weather": (
        "Heavy rain is expected across {town} {when}, with up to {n} millimetres in the hills.",
        "Forecasters said a band of cold air would bring frost to {town} by the weekend.",
        "The river at {town} rose by {n} centimetres overnight but stayed below the flood mark.",
        "Gardeners in {town} were told to cover young plants until temperatures recover.",
        "Winds of up to {big} metres a minute closed the coast road near {town2}.",
    ),
    "business": (
        "Shares in {firm} rose {pct} percent {when} after the company raised its forecast.",
        "{person}, chief executive of {firm}, said demand had doubled in a year.",
        "The central bank kept its main rate unchanged and said inflation was slowing.",
        "{firm} plans to open {n} shops in {town} and {town2} before the summer.",
        "Retail sales in {town} fell slightly in {month}, official figures showed.",
        "{firm} agreed to buy the {thing} brand for an undisclosed sum.",
    ),
    "culture": (
        "The {town} film festival opens {when} with a comedy by director {person}.",
        "A museum in {town} will show {big} paintings from a private collection.",
        "{person} won the poetry prize for a collection called {thing}.",
        "The orchestra announced a season of open-air concerts in the old harbour of {town}.",
        "The novel {thing}, by {person}, has sold {big},000 copies.",
    ),
    "science": (
        "Researchers at the University of {town} said the {thing} telescope had found {n} new comets.",
        "A study led by {person} found that bees in {town} forage up to {small} kilometres from the hive.",
        "The {thing} probe will launch {when} after a delay caused by a faulty valve.",
        "Engineers tested a battery that charges in {n} minutes, {person} said.",
    ),
    "health": (
        "Hospitals in {town} reported {big} cases of flu in the past week.",
        "Doctors in {town} said waiting times for hip operations had fallen to {n} weeks.",
        "{person}, a nurse in {town}, said staff shortages were worst on night shifts.",
        "A new clinic opened in {town} with {n} beds and a walk-in centre.",
    ),
    "local": (
        "The council in {town} voted {n}-{small} to rebuild the {thing} bridge.",
        "Mayor {person} promised {big} new homes near the station in {town}.",
        "Residents of {town} complained about potholes on {thing} Road.",
        "Bus fares in {town} will rise by {pct} cents from {month}.",
        "{person} was elected to the regional assembly with {n} percent of the vote.",
    ),
    "world": (
        "Voters in {thing} go to the polls {when} in a closely watched election.",
        "The foreign minister of {thing}, {person}, arrived in {town} for talks on trade.",
        "Floods in the south of {thing} forced {n},000 people from their homes.",
        "Leaders from {n} countries met in {town} to discuss fishing rights.",
        "Protesters in the capital of {thing} demanded early elections.",
    ),
}
_DESK_TITLES = {
    "sport": ("{team} edge {team2} in {town}", "Record run for {person}"),
    "weather": ("Storm warning for {town}", "Frost and rain ahead in {town}"),
    "business": ("{firm} raises forecast", "Retail sales dip in {town}"),
    "culture": ("{town} festival line-up announced", "Prize for {person}"),
    "science": ("New comets found by {town} team", "Battery breakthrough, says {person}"),
    "health": ("Flu cases rise in {town}", "Clinic opens in {town}"),
    "local": ("Council backs bridge plan in {town}", "Fares to rise in {town}"),
    "world": ("Election day in {thing}", "Trade talks in {town}"),
}
_DESKS = ("sport", "weather", "business", "culture", "science", "health", "local", "world")
_PASSING = (
    "Exports to Turkey, its biggest market, rose {n} percent.",
    "A roast turkey dinner is on the menu at the {town} fair.",
    "The ministry said it was also watching events in Syria.",
    "Flights to Ankara were delayed by fog on {day}.",
)


def _paragraphs(rng: random.Random, sentences: list[str]) -> list[str]:
    paras, i = [], 0
    while i < len(sentences):
        k = rng.randint(1, 3)
        paras.append(" ".join(sentences[i : i + k]))
        i += k
    return paras


def wire_story(seed: int, index: int, lex) -> tuple[str, list[str]]:
    """A story an agency sends to many outlets; any worker can regenerate it."""
    rng = random.Random(f"{seed}:wire:{index}")
    w = Writer(rng, lex)
    sentences = [w.story_sentence() for _ in range(rng.randint(10, 18))]
    sentences += [w.other_sentence("world") for _ in range(rng.randint(0, 3))]
    return w.story_title(), _paragraphs(rng, sentences)


def article_body(rng: random.Random, lex, relevant: bool, seed: int, day: int) -> tuple[str, list[str]]:
    w = Writer(rng, lex)
    if relevant:
        if rng.random() < 0.2:  # a lightly edited copy of a wire story
            title, paras = wire_story(seed, day * 3 + rng.randint(0, 2), lex)
            if len(paras) > 4 and rng.random() < 0.5:
                paras = paras[:-1]
            paras = [paras[0].replace(" said ", " told reporters ", 1)] + paras[1:]
            return (title if rng.random() < 0.5 else title + " - report"), paras
        sentences = [w.story_sentence() for _ in range(rng.randint(9, 20))]
        sentences += [w.other_sentence(rng.choice(("world", "local", "business"))) for _ in range(rng.randint(3, 8))]
        rng.shuffle(sentences)
        return w.story_title(), _paragraphs(rng, sentences)
    desk = rng.choice(_DESKS)
    sentences = [w.other_sentence(desk) for _ in range(rng.randint(12, 26))]
    if rng.random() < 0.05:  # a passing mention of the story's places
        sentences.insert(
            rng.randint(1, len(sentences)),
            rng.choice(_PASSING).format(n=rng.randint(2, 30), town=w.town(), day=rng.choice(_WEEKDAYS)),
        )
    return w.other_title(desk), _paragraphs(rng, sentences)


def feed_names(seed: int, feeds: int) -> list[str]:
    rng = random.Random(f"{seed}:feeds")
    a = (
        "Northern Harbour Coastal Daily Evening Morning Valley River Capital Island Metro Atlantic Eastern "
        "Western Southern Highland Lakeside City County Border Plains"
    ).split()
    b = "Courier Ledger Post Herald Times Gazette Review Wire Record Observer Chronicle Dispatch Journal".split()
    names: list[str] = []
    while len(names) < feeds:
        name = f"{rng.choice(a)} {rng.choice(b)}"
        names.append(name if name not in names else f"{name} {len(names)}")
    return names


def rss_document(params: dict, feed: int, chunk: int, lex) -> tuple[str, bytes]:
    """One RSS document: items chunk*50 .. chunk*50+49 of this feed."""
    seed, per_feed, days = params["seed"], params["per_feed"], params["days"]
    name = feed_names(seed, params["feeds"])[feed]
    slug = "".join(ch for ch in name.lower() if ch.isalnum())
    anchor = datetime.fromisoformat(params["anchor"])
    start = anchor - timedelta(days=days)
    rng = random.Random(f"{seed}:{feed}:{chunk}")
    items = []
    first = chunk * ITEMS_PER_DOCUMENT
    for j in range(first, min(first + ITEMS_PER_DOCUMENT, per_feed)):
        offset = (j + (feed + 0.5) / params["feeds"]) * days * 86400 / per_feed
        when = start + timedelta(seconds=offset + rng.uniform(-600, 600))
        relevant = rng.random() < params["relevant"]
        title, paras = article_body(rng, lex, relevant, seed, int(offset // 86400))
        html = "".join(f"<p>{escape(p)}</p>" for p in paras)
        digest = hashlib.blake2b(title.encode(), digest_size=4).hexdigest()
        link = f"https://www.{slug}.example/{when:%Y/%m/%d}/{j}-{digest}"
        author = f"<dc:creator>{escape(Writer(rng, lex).person())}</dc:creator>" if rng.random() < 0.6 else ""
        if rng.random() < 0.3:  # teaser in <description>, full text in <content:encoded>
            body = (
                f"<description>{escape(f'<p>{escape(paras[0][:200])}</p>')}</description>"
                f"<content:encoded><![CDATA[{html}]]></content:encoded>"
            )
        else:
            body = f"<description>{escape(html)}</description>"
        items.append(
            f"<item><title>{escape(title)}</title><link>{link}</link>"
            f'<guid isPermaLink="false">{slug}-{j}</guid>'
            f"<pubDate>{format_datetime(when.astimezone(UTC), usegmt=True)}</pubDate>{author}{body}</item>"
        )
    doc = (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
        f"<title>{escape(name)}</title><link>https://www.{slug}.example/</link>"
        f"<description>News from the {escape(name)}</description>{''.join(items)}</channel></rss>"
    )
    return name, doc.encode("utf-8")


# --- worker processes ------------------------------------------------------------------

_W: dict = {}


def _init_worker(params: dict) -> None:
    from briefing.config import load_config

    _W["params"] = params
    _W["lex"] = _lexicon(params["seed"])
    _W["story"] = load_config(CONFIG).story


def _parse_job(job: tuple[int, int]):
    from briefing.ingest.feed import parse_feed

    name, data = rss_document(_W["params"], *job, _W["lex"])
    return name, len(data), parse_feed(data, name, "application/rss+xml")


def _analyse_job(batch):
    from briefing.workspace import analyse_articles

    return analyse_articles(batch, _W["story"])


# --- the store -----------------------------------------------------------------------


def store_key(params: dict) -> str:
    from briefing.store.database import SCHEMA_VERSION

    basis = {k: params[k] for k in ("articles", "feeds", "relevant", "days", "seed")}
    basis.update(generator=GENERATOR_VERSION, schema=SCHEMA_VERSION)
    return hashlib.blake2b(json.dumps(basis, sort_keys=True).encode(), digest_size=6).hexdigest()


def store_paths(params: dict) -> tuple[Path, Path]:
    stem = f"store-{params['articles'] // 1000}k-{store_key(params)}"
    return RESULTS / f"{stem}.db", RESULTS / f"{stem}.json"


def _ingest(path: Path, params: dict, workers: int) -> dict:
    from briefing.store.database import Store

    names = feed_names(params["seed"], params["feeds"])
    chunks = -(-params["per_feed"] // ITEMS_PER_DOCUMENT)
    jobs = [(feed, chunk) for chunk in range(chunks) for feed in range(params["feeds"])]  # oldest first
    feed_bytes = 0
    started = time.perf_counter()
    with Store(path) as store, multiprocessing.get_context("fork").Pool(workers, _init_worker, (params,)) as pool:
        for done, (name, size, parsed) in enumerate(pool.imap(_parse_job, jobs, chunksize=2), 1):
            feed_bytes += size
            store.upsert_articles(parsed.articles, name)
            if done % 200 == 0 or done == len(jobs):
                print(f"\r  parsed and stored {done}/{len(jobs)} documents", end="", file=sys.stderr, flush=True)
        for name in names:
            slug = "".join(ch for ch in name.lower() if ch.isalnum())
            store.record_feed(name, f"https://www.{slug}.example/rss.xml", status="updated", ok=True)
    print(file=sys.stderr)
    return {"ingest_seconds": round(time.perf_counter() - started, 1), "rss_bytes": feed_bytes}


def _analyse(path: Path, params: dict, workers: int) -> dict:
    """analyse_pending, spread over the worker processes."""
    from briefing.analysis import ANALYSIS_VERSION, story_fingerprint
    from briefing.config import load_config
    from briefing.store.database import Store
    from briefing.workspace import analyse_pending

    story = load_config(CONFIG).story
    fingerprint = story_fingerprint(story)
    started = time.perf_counter()
    with Store(path) as store:
        have = store.analysed_ids(ANALYSIS_VERSION, fingerprint)
        missing = [aid for aid in store.article_ids() if aid not in have]
        if missing:
            done = 0
            in_flight: list = []
            with multiprocessing.get_context("fork").Pool(workers, _init_worker, (params,)) as pool:
                # Texts are read here (the store is this thread's), a batch at a time;
                # each batch's halves go to the workers; results are stored as they come.
                def collect(keep: int) -> None:
                    nonlocal done
                    while len(in_flight) > keep:
                        results = in_flight.pop(0).get()
                        store.put_analyses(ANALYSIS_VERSION, fingerprint, results)
                        done += len(results)
                        print(f"\r  analysed {done}/{len(missing)} articles", end="", file=sys.stderr, flush=True)

                for i in range(0, len(missing), ANALYSE_BATCH):
                    batch = store.articles(missing[i : i + ANALYSE_BATCH])
                    mid = len(batch) // 2
                    in_flight.append(pool.apply_async(_analyse_job, (batch[:mid],)))
                    in_flight.append(pool.apply_async(_analyse_job, (batch[mid:],)))
                    collect(2 * workers)
                collect(0)
            print(file=sys.stderr)
        left = analyse_pending(store, story)
        assert left == 0, f"analyse_pending found {left} articles still to analyse"
    return {"analysed": len(missing), "analyse_seconds": round(time.perf_counter() - started, 1)}


def _describe(path: Path) -> dict:
    from briefing.analysis import RELEVANCE_THRESHOLD

    db = sqlite3.connect(path)
    try:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        count, raw = db.execute(
            "SELECT count(*), sum(length(CAST(title AS BLOB)) + length(CAST(text AS BLOB))) FROM articles"
        ).fetchone()
        relevant = db.execute("SELECT count(*) FROM analyses WHERE relevance >= ?", (RELEVANCE_THRESHOLD,)).fetchone()[
            0
        ]
        oldest, newest = db.execute(
            "SELECT min(coalesce(published, first_seen)), max(coalesce(published, first_seen)) FROM articles"
        ).fetchone()
    finally:
        db.close()
    return {
        "count": count,
        "raw_text_bytes": raw,
        "relevant_count": relevant,
        "oldest": oldest,
        "newest": newest,
        "file_bytes": path.stat().st_size,
    }


def ensure_store(
    articles: int = 100_000,
    feeds: int = 200,
    relevant: float = 0.10,
    days: int = 365,
    seed: int = 6,
    workers: int | None = None,
    force: bool = False,
) -> tuple[Path, dict]:
    workers = workers or min(2, os.cpu_count() or 1)
    params = {
        "articles": articles,
        "feeds": feeds,
        "relevant": relevant,
        "days": days,
        "seed": seed,
        "per_feed": articles // feeds,
    }
    path, info_path = store_paths(params)
    RESULTS.mkdir(parents=True, exist_ok=True)
    if force:
        for p in (path, info_path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            p.unlink(missing_ok=True)
    info = json.loads(info_path.read_text()) if info_path.exists() and path.exists() else None
    if info is None:
        for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            p.unlink(missing_ok=True)
        params["anchor"] = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0).isoformat()
        print(
            f"generating {path.name}: {articles:,} articles from {feeds} feeds through parse_feed -> "
            f"upsert_articles -> analysis ({workers} workers)",
            file=sys.stderr,
        )
        started = time.perf_counter()
        info = {"params": params, **_ingest(path, params, workers)}
        info.update(_analyse(path, params, workers))
        info["generation_seconds"] = round(time.perf_counter() - started, 1)
        info.update(_describe(path))
        info_path.write_text(json.dumps(info, indent=2))
        print(
            f"generated in {info['generation_seconds']:.0f} s (ingest {info['ingest_seconds']:.0f} s, "
            f"analysis {info['analyse_seconds']:.0f} s)",
            file=sys.stderr,
        )
    else:
        redo = _analyse(path, info["params"], workers)  # a no-op unless the analysis changed
        if redo["analysed"]:
            print(
                f"re-analysed {redo['analysed']:,} articles in {redo['analyse_seconds']:.0f} s "
                "(analysis version or story changed)",
                file=sys.stderr,
            )
            info.update(_describe(path))
            info_path.write_text(json.dumps(info, indent=2))
    return path, info


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=100_000)
    ap.add_argument("--feeds", type=int, default=200)
    ap.add_argument("--relevant", type=float, default=0.10)
    ap.add_argument("--days", type=int, default=365)
    ap.add_argument("--seed", type=int, default=6)
    ap.add_argument("--workers", type=int, default=None)
    ap.add_argument("--force", action="store_true", help="generate again even when cached")
    args = ap.parse_args()
    path, info = ensure_store(args.articles, args.feeds, args.relevant, args.days, args.seed, args.workers, args.force)
    print(path)
    print(json.dumps(info, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
