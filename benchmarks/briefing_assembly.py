"""Benchmark: assembling the briefing over a 100,000-article store.

    uv run python benchmarks/briefing_assembly.py [--workers 2] [--cache-dir DIR]

Generates, with a fixed seed and words of its own, 10,000 articles about an
invented story (about a fifth are lightly edited copies of another outlet's
story) and 90,000 unrelated ones from 200 outlets over 60 days, ids in
arrival order. Every relevant article, and 1,000 unrelated ones, is really
analysed (in parallel; the dicts are cached in a temp file for the next
run, so the first run takes a minute longer); the other unrelated articles
reuse those 1,000 light dicts ({"v", "fp", "rel"}), which is all the
dashboard passes for them. Then it reports:

  full      BriefingBuilder.add(100,000 metas, their dicts) then
            build(article_limit=1000), from an empty builder, three times
  rebuild   build() again with nothing changed
  export    build(article_limit=None): every row
  refresh   add 510 (500 new -- 50 relevant, some of them copies -- and 10
            stored ones edited) then build(article_limit=1000), three times
  memory    in fresh processes streaming the store's rows and kept dicts in
            chunks of 5,000, as the dashboard should: Python memory the
            builder holds (tracemalloc) and the process's peak RSS
  dict size average JSON (and zlib) bytes of a stored analysis, here and
            on the bundled cache/

The timings count the builder only: the dicts are decoded beforehand and
kept out of the garbage collector's way (gc.freeze), as the store hands
them over a chunk at a time. A first line measures how fast the machine is
at the time (a shared machine can be twice as slow as an idle one).

Targets: full <= 1 s, refresh <= 200 ms, dashboard RSS <= 150 MB
on this store (bare Textual is about 33 MB).
"""

from __future__ import annotations

import argparse
import gc
import gzip
import hashlib
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
import zlib
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from briefing.analysis import (  # noqa: E402
    ANALYSIS_VERSION,
    ArticleMeta,
    BriefingBuilder,
    analyse_article,
    is_relevant,
    light_analysis,
    story_fingerprint,
)
from briefing.config import Actor, Question, Story  # noqa: E402
from briefing.model import Article  # noqa: E402

UTC = UTC
SEED = 20250601
GENERATOR_VERSION = 6  # bump when the articles below (or the analysis dicts) change
RELEVANT, UNRELATED, SOURCES, DAYS = 10_000, 90_000, 200, 60
UNRELATED_TEMPLATES = 1_000
REFRESHES, REFRESH_SIZE, REFRESH_RELEVANT, REFRESH_UPDATED = 3, 500, 50, 10
FULL_RUNS = 3
START = datetime(2025, 3, 1, tzinfo=UTC)
FEED_ROWS = 1_000
CHUNK = 5_000

STORY = Story(
    id="bench-strait",
    title="Valmora and Ostrel negotiate the Keldar Strait accord",
    keywords=("strait accord", "shipping lanes", "Keldar Strait", "toll regime", "naval patrols"),
    actors=(
        Actor("Ilse Varnholt", kind="person", role="Valmora's prime minister"),
        Actor("Tomas Reyk", aliases=("Reyk",), kind="person"),
        Actor("Mara Quell", kind="person"),
        Actor("Dario Fenn", kind="person"),
        Actor("Valmora", kind="state"),
        Actor("Ostrel", aliases=("Ostrelian government",), kind="state"),
        Actor("Keldar Port Authority", aliases=("Port Authority",), kind="organization"),
        Actor("Northern Shipping Guild", aliases=("Shipping Guild",), kind="group"),
    ),
    questions=(
        Question("tolls", "Will ships pay tolls to cross the strait?", ("toll", "tolls", "levy", "transit fee")),
        Question("patrols", "Who will patrol the shipping lanes?", ("patrol", "navy", "coast guard", "frigate")),
        Question("fishing", "What happens to the fishing grounds?", ("fishing", "trawler", "quota", "fishermen")),
    ),
)

# --- words of our own ---------------------------------------------------------

FIRST = (
    "Anna Bela Cora Dana Edda Fina Greta Hana Ines Jona Kira Lena Mila Nora Olga Pia Rosa Sina Tara Una "
    "Vera Wanda Yara Zora Aron Bram Cato Davin Emil Falk Gero Hugo Ivo Jari Kasimir Lio Malte Nils Oren "
    "Piet Quirin Rasmus Sten Timo Ulf Vito Wim Xaver Yannik Zeno"
).split()
LAST = (
    "Albrecht Birkner Castell Dorn Eberle Falkner Grau Hessel Imhof Jansen Kessler Lind Marbach Nagel Ortlieb "
    "Pfister Quandt Rainer Sattler Thiel Ulmer Vogt Wendel Zander Achterberg Brenner Cramer Dietl Engler "
    "Frisch Gerlach Haller Iske Jost Kugler Lorenz Mertens Nowak Osterloh Petri Rademacher Seidel Tietz "
    "Unger Valk Wirth Zeller Brandis Corvin Delling"
).split()
ORGS = (
    "Institute for Maritime Studies",
    "Harbour Workers Union",
    "Coastal Research Centre",
    "Strait Watch",
    "Merchant Fleet Council",
    "Valmoran Chamber of Commerce",
    "Ostrel Fisheries Board",
    "Tidewater Group",
    "Blue Channel Foundation",
    "Eastern Insurers Association",
    "Lighthouse Trust",
    "Cargo Pilots League",
)
JOBS = (
    "analyst",
    "researcher",
    "economist",
    "shipowner",
    "captain",
    "union leader",
    "harbour pilot",
    "trade official",
    "lawyer",
    "fisherman",
)
PORTS = ("Keldar", "Sundmark", "Hollin", "Varsk", "Ebbing", "Corran", "Tessel", "Wyke")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = ("January", "February", "March", "April", "May", "June")
PEOPLE = ("Ilse Varnholt", "Tomas Reyk", "Mara Quell", "Dario Fenn")
ROLES = {
    "Ilse Varnholt": "Valmora's prime minister",
    "Tomas Reyk": "Ostrel's foreign minister",
    "Mara Quell": "chief negotiator",
    "Dario Fenn": "head of the Port Authority",
}
GROUPS = ("Valmora", "Ostrel", "the Keldar Port Authority", "the Northern Shipping Guild", "the Port Authority")
NOUNS = ("draft", "proposal", "timetable", "annex", "clause", "framework", "memorandum", "schedule", "plan")
ADJ = ("revised", "final", "joint", "interim", "disputed", "new", "detailed", "second", "amended")
VERBS = ("rejected", "welcomed", "questioned", "endorsed", "criticised", "defended", "studied", "delayed")
TOPICS = (
    "tolls",
    "a transit fee",
    "a levy on tankers",
    "joint naval patrols",
    "coast guard patrols",
    "frigate escorts",
    "fishing quotas",
    "trawler licences",
    "the shipping lanes",
    "the toll regime",
)

SPORT = (
    "The {town} Rovers beat {town2} United {a}-{b} on {day} after a late goal from {name}, who has now "
    "scored in {n} straight games.",
    "Coach {name} said the squad would rest before the cup tie next week.",
    "Tickets for the derby sold out within an hour, and the club will open an extra stand.",
    "{name} finished the marathon in two hours and {n} minutes, a course record in {town}.",
    "The league confirmed that the final round will be played on {day} evening under floodlights.",
)
WEATHER = (
    "Heavy rain is expected across {town} on {day}, with up to {n} millimetres in the hills.",
    "Forecasters said a band of cold air would bring frost to {town2} by the weekend.",
    "The river at {town} rose by {n} centimetres overnight but stayed below the flood mark.",
    "Gardeners were told to cover young plants until temperatures recover next week.",
)
BUSINESS = (
    "Shares in {org} rose {n} percent on {day} after the company raised its forecast.",
    "{name}, chief executive of {org}, said demand for solar panels had doubled in a year.",
    "The central bank kept its main rate unchanged and said inflation was slowing in {town}.",
    "A new bakery chain plans to open {n} shops in {town} and {town2} before the summer.",
    "Retail sales in {town} fell slightly in {month}, official figures showed on {day}.",
)
CULTURE = (
    "The {town} film festival opens on {day} with a comedy by director {name}.",
    "A museum in {town2} will show {n} paintings from a private collection for the first time.",
    "{name} won the poetry prize for a collection about growing up by the sea.",
    "The orchestra announced a summer season of open-air concerts in the old harbour of {town}.",
)
TOWNS = (
    "Alder",
    "Brisk",
    "Calloway",
    "Dunmere",
    "Elsby",
    "Fernhill",
    "Grange",
    "Holt",
    "Ivybridge",
    "Jessop",
    "Kirkby",
    "Larchmont",
    "Moss",
    "Northwold",
    "Oakham",
    "Penhallow",
    "Quarry",
    "Redmere",
)


def person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def when_text(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.45:
        return f"on {rng.choice(WEEKDAYS)}"
    if kind < 0.75:
        return f"on {rng.choice(MONTHS)} {rng.randint(1, 28)}"
    if kind < 0.9:
        return f"in {rng.choice(MONTHS)}"
    return "yesterday"


def pick(rng: random.Random, options: str) -> str:
    return rng.choice(options.split("|"))


# Short interchangeable fragments: independent articles share the story's
# names and terms and a few stock phrases, not whole lines. (Two articles by
# different outlets share about 3% of their word 4-shingles here, against
# 1% in the bundled cache/: a little more repetitive than real news.)
OSTREL = "Ostrel|The Ostrelian government|Reyk|Ostrel's cabinet"
SAY = "said|added|argued|insisted|told reporters|warned|noted|claimed|stressed|suggested|conceded|predicted"
WOULD = "would|could|might|will|may|is expected to|is likely to|plans to|hopes to|refuses to"
ACT = (
    "sign|reject|delay|revise|publish|defend|renegotiate|suspend|approve|block|extend|scrap|soften|"
    "tighten|postpone|endorse"
)
OBJ = (
    "the strait accord|the toll regime|the Keldar Strait accord|the draft accord|the shipping deal|"
    "the patrol pact|the transit levy|the fishing annex|the harbour deal|the accord's text"
)
WHY = (
    "before the summer|without a vote|after the elections|under pressure from shipowners|despite protests|"
    "once the numbers add up|if the ports agree|unless the levy falls|by the end of the year|"
    "as soon as talks resume|at the next round|only with guarantees|in its current form|"
    "without changes|after a review"
)
WHO = (
    "officials|diplomats|lawmakers|port managers|negotiators|ministers|shipowners|analysts|union leaders|"
    "insurers|harbour pilots|aides|observers|advisers|legal experts"
)
WHAT = (
    "freight rates|insurance costs|ferry fares|harbour dues|fuel bills|cargo volumes|wait times|"
    "crew wages|tanker traffic|container traffic|fish prices|repair bills"
)
MOVE = "rose|fell|climbed|dropped|jumped|slipped|doubled|stalled|edged up|eased"
VESSEL = "ships|tankers|freighters|vessels|container ships|bulk carriers|ferries|trawlers|barges|coasters"
SEA = "the narrows|the shipping lanes|the strait|the channel|the northern approaches|the outer passage"
GUARD = (
    "its navy|a joint coast guard|frigates from both sides|a shared fleet|coast guard cutters|"
    "naval patrols|an international flotilla|patrol boats"
)
LIFE = (
    "the new quay|the old lighthouse|the fish market|the ferry timetable|the shipyard|the harbour wall|"
    "the customs shed|the rail link|the marina|the dry dock|the pilot station|the grain silos"
)
DONE = (
    "was rebuilt|reopened|closed for repairs|was sold|changed hands|was extended|flooded again|"
    "was painted|got a new roof|lost its licence|was modernised|drew crowds"
)


def relevant_sentences(rng: random.Random) -> list[str]:
    """One article's story sentences, each put together from fragments."""

    def v(options: str) -> str:
        return pick(rng, options)

    def n() -> int:
        return rng.randint(2, 90)

    p, port, other = rng.choice(PEOPLE), rng.choice(PORTS), person(rng)
    group, noun, adj, topic = rng.choice(GROUPS), rng.choice(NOUNS), rng.choice(ADJ), rng.choice(TOPICS)
    org, job = rng.choice(ORGS), rng.choice(JOBS)
    return [
        f"{p} {v(SAY)} {when_text(rng)} that {group} {v(WOULD)} {v(ACT)} {v(OBJ)} {v(WHY)}.",
        f"{v(WHO).capitalize()} from Valmora and Ostrel {v('met|gathered|sat down|talked')} in {port} "
        f"{when_text(rng)} {v('to discuss|to settle|to argue over|over|about')} {topic}.",
        f"Under the {adj} {noun}, {v(VESSEL)} {v('crossing|using|passing through|entering')} {v(SEA)} "
        f"{v(WOULD)} pay a {v('toll|levy|transit fee|charge')} of {n()} crowns "
        f"{v('per tonne|a voyage|per box|a day')}.",
        f"{v(OSTREL)} {v('wants|insists on|is pushing for|prefers')} "
        f"{v(GUARD)} {v('to patrol|patrolling|to police|to watch')} {v(SEA)}, while Valmora "
        f"{v('prefers|favours|argues for|wants')} {v(GUARD)}.",
        f"{v('Fishermen|Trawler crews|Boat owners|Fishing families')} in {port} {v('fear|worry|expect|suspect')} "
        f"{v(OBJ)} {v(WOULD)} {v('cut|halve|freeze|trim')} their quota by {n()} percent.",
        f"The {noun} {v(WOULD)} close the {v('northern|eastern|outer|inner')} fishing grounds to trawlers for "
        f"{n()} days {v('a year|each season|every spring|in winter')}.",
        f'"We {v(WOULD)} not {v(ACT)} {v(OBJ)} {v(WHY)}," {p} {v(SAY)}.',
        f'"{v("Our|The")} {v("fishermen|crews|ports|families")} need {v("certainty|clarity|guarantees|time")} '
        f'about the quota {v(WHY)}," {other}, a {job}, {v(SAY)}.',
        f"{other}, a {job} at the {org}, {v(SAY)} that {v(WHAT)} had {v(MOVE)} {v(WHY)}.",
        f"The {org} estimated that {v(WHAT)} through the Keldar Strait had {v(MOVE)} by {n()} percent since "
        f"{rng.choice(MONTHS)}.",
        f"{p} {v(WOULD)} {v('present|defend|explain|put')} the {adj} {noun} to {v(WHO)} {when_text(rng)}.",
        f"{v(WHO).capitalize()} at the Keldar Port Authority {v(SAY)} that {topic} {v(WOULD)} "
        f"{v('remain open|stay unresolved|be settled last|come up again|need more work')}.",
        f"Tomas Reyk, Ostrel's foreign minister, {v(SAY)} the talks {v(WOULD)} "
        f"{v('resume|continue|restart|slow down')} {when_text(rng)}.",
        f"Mara Quell, the chief negotiator, {v(SAY)} that {topic} {v(WOULD)} be {v('settled|decided|dropped')} "
        f"{v('last|first|separately|later')}.",
        f"Dario Fenn, head of the Port Authority, {v(SAY)} that a levy {v(WOULD)} {v('fund|pay for|finance')} "
        f"{n()} new {v('lighthouses|tugs|pilot boats|berths|cranes')}.",
        f"Is {v(OBJ)} worth the {v('cost|risk|trouble|delay')} for {port}?",
        f"I think the {noun} is a {v('fair|poor|bold|timid')} start, {other} wrote in a column for a "
        f"{v('local|regional|weekly')} paper.",
        f"{v('Insurers|Brokers|Underwriters')} {v(SAY)} that premiums for {v(VESSEL)} in {v(SEA)} had "
        f"{v(MOVE)} by {n()} percent {v('this year|since the winter|in a month')}.",
        f"The talks began {when_text(rng)} after a {v('collision|grounding|fire|storm')} near {port} closed "
        f"{v(SEA)} for {n() % 4 + 1} days.",
        f"{other} of the {org} {v(SAY)} that {group} had not yet {v('published|shared|released|shown')} the {noun}.",
    ]


def background(rng: random.Random) -> str:
    """Sentences around the story that carry none of its terms."""
    v = lambda options: pick(rng, options)  # noqa: E731
    return rng.choice(
        (
            f"{person(rng)}, a {rng.choice(JOBS)} in {rng.choice(PORTS)}, {v(SAY)} that {v(LIFE)} {v(DONE)} "
            f"{v('last year|this spring|in the winter|a decade ago|recently')}.",
            f"In {rng.choice(PORTS)}, {v(LIFE)} {v(DONE)} {rng.randint(2, 40)} years ago, "
            f"{v('locals recall|residents say|a guide explains')}.",
            f"{v(WHAT).capitalize()} in {rng.choice(PORTS)} {v(MOVE)} {v('last month|over the winter|in a year')}, "
            f"{v('according to|said|reported by')} {v('the town hall|a local paper|the chamber of commerce')}.",
            f"{person(rng)} {v('runs|owns|manages|opened')} {v('a chandlery|a cafe|a boatyard|a sail loft|a bakery')} "
            f"near {v(LIFE)} and {v('says|reports|complains')} that {v(WHAT)} {v(MOVE)}.",
            f"{v('Storms|Fog|Ice|Strikes|Repairs')} {v('closed|disrupted|delayed|halted')} {v(LIFE)} "
            f"{rng.randint(2, 12)} times {v('last winter|this year|in March|over the summer')}.",
            f"{v('Tourists|Walkers|Anglers|Students|Pensioners')} {v('fill|crowd|visit|avoid')} {v(LIFE)} of "
            f"{rng.choice(PORTS)} from {rng.choice(MONTHS)} to {v('September|October|August')}.",
        )
    )


def relevant_article(rng: random.Random, index: int) -> tuple[str, str]:
    sentences = relevant_sentences(rng)
    rng.shuffle(sentences)
    chosen = sentences[: rng.randint(6, 16)]
    chosen += [background(rng) for _ in range(rng.randint(6, 18))]
    rng.shuffle(chosen)
    paras, i = [], 0
    while i < len(chosen):
        k = rng.randint(1, 3)
        paras.append(" ".join(chosen[i : i + k]))
        i += k
    title = f"{rng.choice(PEOPLE)} {rng.choice(VERBS)} {rng.choice(ADJ)} {rng.choice(NOUNS)} on {rng.choice(TOPICS)}"
    return title, "\n\n".join(paras)


def copy_of(rng: random.Random, title: str, text: str) -> tuple[str, str]:
    paras = text.split("\n\n")
    if len(paras) > 4 and rng.random() < 0.5:
        paras = paras[:-1]
    edited = "\n\n".join(paras).replace(" said ", " told reporters ", 1).replace(" the ", " this ", 1)
    return title if rng.random() < 0.5 else title + " - report", edited


def unrelated_article(rng: random.Random) -> tuple[str, str]:
    pool = rng.choice((SPORT, WEATHER, BUSINESS, CULTURE))

    def fill(s: str) -> str:
        return s.format(
            town=rng.choice(TOWNS),
            town2=rng.choice(TOWNS),
            a=rng.randint(0, 5),
            b=rng.randint(0, 5),
            day=rng.choice(WEEKDAYS),
            name=person(rng),
            n=rng.randint(2, 60),
            org=rng.choice(ORGS),
            month=rng.choice(MONTHS),
        )

    paras = [" ".join(fill(rng.choice(pool)) for _ in range(rng.randint(1, 3))) for _ in range(rng.randint(4, 9))]
    if rng.random() < 0.15:  # a passing mention of the story's places
        paras.append(f"Ferries to {rng.choice(PORTS)} in Valmora ran to timetable.")
    return fill(rng.choice(pool)).split(",")[0][:90], "\n\n".join(paras)


# --- the synthetic store ------------------------------------------------------


def source_names() -> list[str]:
    rng = random.Random(SEED + 1)
    a = "Northern Harbour Coastal Daily Evening Morning Valley River Capital Island Metro Atlantic Eastern".split()
    b = "Courier Ledger Post Herald Times Gazette Review Wire Record Observer Chronicle Dispatch Journal".split()
    names: list[str] = []
    while len(names) < SOURCES:
        name = f"{rng.choice(a)} {rng.choice(b)}"
        if name in names:
            name = f"{name} {len(names)}"
        names.append(name)
    return names


def plan() -> dict:
    """Every article's metadata, the texts of the relevant ones and of the
    unrelated templates, and which are copies or refresh updates."""
    rng = random.Random(SEED)
    sources = source_names()
    total = RELEVANT + UNRELATED
    extra = REFRESHES * REFRESH_SIZE
    relevant_ids = set(rng.sample(range(1, total + 1), RELEVANT))
    span = DAYS * 86400
    metas, texts, template_of = {}, {}, {}
    recent_relevant: list[int] = []
    for aid in range(1, total + extra + 1):
        arrival = START + timedelta(seconds=span * aid / (total + extra))
        published = arrival - timedelta(minutes=rng.randint(1, 240))
        if rng.random() < 0.02:
            published -= timedelta(days=rng.randint(1, 5))  # a late arrival
        source = rng.choice(sources)
        is_rel = aid in relevant_ids if aid <= total else (aid - total - 1) % REFRESH_SIZE < REFRESH_RELEVANT
        if is_rel:
            if recent_relevant and rng.random() < 0.2:
                title, text = copy_of(rng, *texts[rng.choice(recent_relevant[-40:])])
            else:
                title, text = relevant_article(rng, aid)
            texts[aid] = (title, text)
            recent_relevant.append(aid)
        else:
            template_of[aid] = rng.randrange(UNRELATED_TEMPLATES)
            title = (
                f"{rng.choice(TOWNS)} {rng.choice(('news', 'sport', 'weather', 'business', 'arts'))}: "
                f"{rng.choice(('update', 'results', 'preview', 'notes', 'roundup'))} {aid}"
            )
        slug = hashlib.blake2b(title.encode(), digest_size=6).hexdigest()
        link = f"https://www.{source.lower().replace(' ', '')}.example/news/{published:%Y/%m/%d}/{slug}-{aid}"
        metas[aid] = ArticleMeta(
            id=aid,
            title=title,
            source=source,
            link=link,
            published=published,
            first_seen=arrival,
            read=rng.random() < 0.05,
        )
    templates = []
    trng = random.Random(SEED + 2)
    for _ in range(UNRELATED_TEMPLATES):
        templates.append(unrelated_article(trng))
    return {"metas": metas, "texts": texts, "template_of": template_of, "templates": templates}


def _analyse(job: tuple[int, str, str]) -> tuple[int, dict]:
    aid, title, text = job
    article = Article(
        id=aid, key=str(aid), title=title, source="x", link=None, published=START, first_seen=START, text=text
    )
    return aid, analyse_article(article, STORY)


def cache_key() -> str:
    return hashlib.blake2b(
        f"{GENERATOR_VERSION}-{ANALYSIS_VERSION}-{story_fingerprint(STORY)}".encode(), digest_size=8
    ).hexdigest()


def analyses(data: dict, workers: int, cache_dir: Path) -> tuple[dict[int, dict], list[dict]]:
    """Full dicts for the relevant articles, light dicts for the unrelated templates."""
    path = cache_dir / f"briefing-bench-{cache_key()}.json.gz"
    if path.exists():
        with gzip.open(path, "rt", encoding="utf-8") as f:
            stored = json.load(f)
        return {int(k): v for k, v in stored["full"].items()}, stored["templates"]
    jobs = [(aid, title, text) for aid, (title, text) in data["texts"].items()]
    jobs += [(-i, title, text) for i, (title, text) in enumerate(data["templates"], 1)]
    started = time.perf_counter()
    with ProcessPoolExecutor(workers) as pool:
        results = dict(pool.map(_analyse, jobs, chunksize=200))
    print(
        f"analysed {len(jobs):,} articles once in {time.perf_counter() - started:.1f} s "
        f"({workers} workers), cached in {path}"
    )
    full = {aid: r for aid, r in results.items() if aid > 0}
    templates = [light_analysis(results[-i]) for i in range(1, len(data["templates"]) + 1)]
    with gzip.open(path, "wt", encoding="utf-8") as f:
        json.dump({"full": full, "templates": templates}, f)
    return full, templates


def calibrate() -> float:
    """CPU seconds of a fixed loop: how fast this machine is right now."""
    started, x = time.process_time(), 0
    for i in range(5_000_000):
        x += i
    return time.process_time() - started


def dicts_for(ids, data, full, templates) -> dict[int, dict]:
    out = {}
    for aid in ids:
        out[aid] = full[aid] if aid in full else templates[data["template_of"][aid]]
    return out


# --- measurements -------------------------------------------------------------


def time_builds(data, full, templates) -> dict:
    metas = data["metas"]
    total = RELEVANT + UNRELATED
    first_ids = range(1, total + 1)
    first = [metas[i] for i in first_ids]
    first_dicts = dicts_for(first_ids, data, full, templates)
    irrelevant_light = sum(1 for d in first_dicts.values() if not is_relevant(d))
    now = START + timedelta(days=DAYS + 1)
    last_viewed = START + timedelta(days=DAYS - 2)
    # The inputs stand for what the store hands over a chunk at a time: keep
    # the collector from walking all of them again inside the timings.
    gc.collect()
    gc.freeze()

    fulls = []
    for _ in range(FULL_RUNS):  # each from an empty builder
        builder = None
        gc.collect()
        started, cpu = time.perf_counter(), time.process_time()
        builder = BriefingBuilder(STORY)
        builder.add(first, first_dicts)
        added = time.perf_counter()
        briefing = builder.build(now=now, last_viewed=last_viewed, article_limit=FEED_ROWS)
        built = time.perf_counter()
        fulls.append((added - started, built - added, built - started, time.process_time() - cpu))
    again = time.perf_counter()
    builder.build(now=now, last_viewed=last_viewed, article_limit=FEED_ROWS)
    rebuilt = time.perf_counter() - again
    again = time.perf_counter()
    everything = builder.build(now=now, last_viewed=last_viewed, article_limit=None)
    export = time.perf_counter() - again
    out = {
        "relevant": briefing.extra["relevant"],
        "distinct": briefing.extra["distinct_relevant"],
        "total": briefing.extra["total_articles"],
        "light": irrelevant_light,
        "fulls": fulls,
        "rebuild": rebuilt,
        "export": export,
        "export_rows": len(everything.articles),
        "refresh": [],
        "summary": len(briefing.summary),
        "evidence": sum(len(q.evidence) for q in briefing.questions),
        "timeline": len(briefing.timeline),
        "names": len(briefing.also_mentioned),
    }
    del everything
    rng = random.Random(SEED + 3)
    next_id = total + 1
    for _ in range(REFRESHES):
        ids = list(range(next_id, next_id + REFRESH_SIZE))
        next_id += REFRESH_SIZE
        new_metas = [metas[i] for i in ids]
        # A few stored articles come back edited: same id, replaced.
        updated = rng.sample([i for i in first_ids if i in full], REFRESH_UPDATED // 2)
        updated += rng.sample([i for i in first_ids if i not in full], REFRESH_UPDATED - len(updated))
        new_metas += [replace_title(metas[i]) for i in updated]
        new_dicts = dicts_for(ids + updated, data, full, templates)
        now += timedelta(minutes=30)
        gc.collect()
        started, cpu = time.perf_counter(), time.process_time()
        builder.add(new_metas, new_dicts)
        added = time.perf_counter()
        briefing = builder.build(now=now, last_viewed=last_viewed, article_limit=FEED_ROWS)
        done = time.perf_counter()
        out["refresh"].append(
            (added - started, done - added, done - started, len(new_metas), time.process_time() - cpu)
        )
    return out


def replace_title(meta: ArticleMeta) -> ArticleMeta:
    return ArticleMeta(
        id=meta.id,
        title=meta.title + " (updated)",
        source=meta.source,
        link=meta.link,
        published=meta.published,
        first_seen=meta.first_seen,
        read=meta.read,
    )


def rss_kb() -> tuple[int, int]:
    fields = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        name, _, value = line.partition(":")
        fields[name] = value.strip()
    return int(fields["VmRSS"].split()[0]), int(fields["VmHWM"].split()[0])


def store_file(data, full, templates, cache_dir: Path) -> Path:
    """The first 100,000 articles as a store would hand them over: one JSON
    line each, row data and the kept analysis (full if relevant, light if
    not). Written once, next to the analysis cache."""
    path = cache_dir / f"briefing-bench-{cache_key()}-store.jsonl.gz"
    if not path.exists():
        with gzip.open(path, "wt", encoding="utf-8", compresslevel=1) as f:
            for aid in range(1, RELEVANT + UNRELATED + 1):
                m = data["metas"][aid]
                kept = full[aid] if aid in full else templates[data["template_of"][aid]]
                f.write(
                    json.dumps(
                        [
                            aid,
                            m.title,
                            m.source,
                            m.link,
                            m.published.isoformat(),
                            m.first_seen.isoformat(),
                            m.read,
                            kept,
                        ]
                    )
                    + "\n"
                )
    return path


def memory_child(mode: str, path: str) -> None:
    """Fresh process: stream the store file into a builder a chunk at a
    time, as the dashboard should, and report memory as JSON."""
    if mode == "traced":
        tracemalloc.start()
    base_rss, _ = rss_kb()
    builder = BriefingBuilder(STORY)
    with gzip.open(path, "rt", encoding="utf-8") as f:
        while True:
            lines = [line for _, line in zip(range(CHUNK), f, strict=False)]
            if not lines:
                break
            metas, dicts = [], {}
            for line in lines:
                aid, title, source, link, published, first_seen, read, kept = json.loads(line)
                metas.append(
                    ArticleMeta(
                        aid,
                        title,
                        source,
                        link,
                        datetime.fromisoformat(published),
                        datetime.fromisoformat(first_seen),
                        read,
                    )
                )
                dicts[aid] = kept
            builder.add(metas, dicts)
            del lines, metas, dicts
    briefing = builder.build(now=START + timedelta(days=DAYS + 1), last_viewed=None, article_limit=FEED_ROWS)
    del briefing
    gc.collect()
    result = {"base_rss_kb": base_rss, "articles": len(builder)}
    if mode == "traced":
        current, peak = tracemalloc.get_traced_memory()
        result.update(traced_current=current, traced_peak=peak)
    rss, hwm = rss_kb()
    result.update(rss_kb=rss, hwm_kb=hwm)
    print(json.dumps(result))


def run_child(mode: str, path: Path) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--memory-child", mode, "--store-file", str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def dict_sizes(full: dict[int, dict]) -> tuple[float, float]:
    raw = [json.dumps(r, ensure_ascii=False, separators=(",", ":")).encode() for r in full.values()]
    return statistics.mean(map(len, raw)), statistics.mean(len(zlib.compress(r)) for r in raw)


def bundled_sizes() -> tuple[float, float, float, int]:
    from briefing.config import load_config
    from briefing.ingest.files import read_articles

    story = load_config(REPO / "feeds.toml").story
    raw, packed, text = [], [], []
    for i, path in enumerate(sorted((REPO / "cache").glob("*.json")), 1):
        for parsed in read_articles(path):
            article = Article(
                id=i,
                key=parsed.key,
                title=parsed.title,
                source=parsed.source,
                link=parsed.link,
                published=parsed.published,
                first_seen=parsed.published or START,
                text=parsed.text,
            )
            encoded = json.dumps(analyse_article(article, story), ensure_ascii=False, separators=(",", ":")).encode()
            raw.append(len(encoded))
            packed.append(len(zlib.compress(encoded)))
            text.append(len(article.text.encode()))
    return statistics.mean(raw), statistics.mean(packed), statistics.mean(text), len(raw)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1))
    parser.add_argument("--cache-dir", type=Path, default=Path(tempfile.gettempdir()))
    parser.add_argument("--memory-child", choices=("plain", "traced"), help=argparse.SUPPRESS)
    parser.add_argument("--store-file", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_child:
        memory_child(args.memory_child, args.store_file)
        return
    print("command: uv run python benchmarks/briefing_assembly.py " + " ".join(sys.argv[1:]))
    print(
        f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}; a 5,000,000-step Python loop "
        f"takes {calibrate():.2f} s of CPU here"
    )
    started = time.perf_counter()
    data = plan()
    full, templates = analyses(data, args.workers, args.cache_dir)
    print(
        f"store: {RELEVANT + UNRELATED:,} articles from {SOURCES} outlets over {DAYS} days, "
        f"+{REFRESHES} refreshes of {REFRESH_SIZE} ({time.perf_counter() - started:.1f} s to generate/load)"
    )
    t = time_builds(data, full, templates)
    print(
        f"  relevant {t['relevant']:,} ({t['distinct']:,} distinct after syndication), "
        f"{t['light']:,} unrelated with light dicts, {t['total']:,} rows"
    )
    print(
        f"  briefing: {t['summary']} summary sentences, {t['evidence']} evidence, {t['timeline']} timeline "
        f"events, {t['names']} names"
    )
    for i, (add, build, total, cpu) in enumerate(t["fulls"], 1):
        print(f"full build {i}   add {add:.3f} s + build {build * 1000:.0f} ms = {total:.3f} s  ({cpu:.3f} s CPU)")
    median = statistics.median(total for _, _, total, _ in t["fulls"])
    best = min(total for _, _, total, _ in t["fulls"])
    print(f"               median {median:.3f} s, best {best:.3f} s   (target <= 1 s: median {median:.0%} of it)")
    print(f"rebuild        {t['rebuild'] * 1000:.0f} ms (nothing changed, newest {FEED_ROWS:,} rows)")
    print(f"export build   {t['export'] * 1000:.0f} ms ({t['export_rows']:,} rows)")
    for i, (add, build, total, n, cpu) in enumerate(t["refresh"], 1):
        print(
            f"refresh {i}      add {n} ({REFRESH_RELEVANT} relevant new, {REFRESH_UPDATED} updated) "
            f"{add * 1000:.0f} ms + build {build * 1000:.0f} ms = {total * 1000:.0f} ms ({cpu * 1000:.0f} ms CPU)"
            f"   (target <= 200 ms: {total / 0.2:.0%})"
        )
    size, packed = dict_sizes(full)
    path = store_file(data, full, templates, args.cache_dir)
    del data, full
    gc.collect()
    plain = run_child("plain", path)
    traced = run_child("traced", path)
    held = traced["traced_current"] / 1e6
    print(
        f"memory         builder holds {held:.1f} MB traced after the build (peak "
        f"{traced['traced_peak'] / 1e6:.1f} MB while streaming chunks of {CHUNK:,} and building)"
    )
    grown = (plain["hwm_kb"] - plain["base_rss_kb"]) / 1024
    kept = (plain["rss_kb"] - plain["base_rss_kb"]) / 1024
    print(
        f"               RSS of a fresh process: {plain['base_rss_kb'] / 1024:.0f} MB after imports, "
        f"peak +{grown:.0f} MB, +{kept:.0f} MB after the build; with bare Textual (33 MB) that is "
        f"{33 + grown:.0f} MB against the 150 MB target"
    )
    b_size, b_packed, b_text, b_n = bundled_sizes()
    print(
        f"dict size      synthetic relevant: {size:,.0f} B JSON, {packed:,.0f} B zlib; bundled cache/ "
        f"({b_n} articles, text {b_text:,.0f} B): {b_size:,.0f} B JSON, {b_packed:,.0f} B zlib"
    )
    print(f"total benchmark time {time.perf_counter() - started:.0f} s; load average now {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
