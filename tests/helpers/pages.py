"""Article pages for the full-text tests: a story (a ferry strike in a lake
town, made up for these tests), web pages that carry its articles among
menus and footers, and feeds of teasers that link to them.

    from tests.helpers.pages import ARTICLES, article_page, teaser_feed, write_page_config
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from tests.helpers.feedserver import item, rss

STORY = """\
# full-text test story
[story]
id = "lakeport-ferry-strike"
title = "Lakeport ferry crews strike over rosters"
keywords = ["ferry", "ferries", "strike", "Lakeport"]

[[story.actors]]
name = "Mara Quist"
aliases = ["Quist"]
kind = "person"
role = "head of the ferry crews' union"

[[story.actors]]
name = "Lakeport Transit Board"
aliases = ["Transit Board"]
kind = "organization"

[[story.questions]]
id = "service"
title = "When will the ferries run again?"
terms = ["timetable", "service", "resume", "crossings"]
"""

# Each article: (slug, title, teaser, paragraphs). The first sentence of
# every article's last paragraph is found on its page only, never in the feed.
ARTICLES = {
    "walkout": (
        "Ferry crews walk out in Lakeport",
        "Ferry crews in Lakeport stopped work on Monday over new rosters.",
        [
            "Ferry crews in Lakeport stopped work at dawn on Monday, leaving commuters on both shores of the lake "
            "without their usual crossings for the first time in eleven years.",
            "The union that represents the deckhands and pilots says the new rosters published by the Lakeport "
            "Transit Board would stretch some shifts to fourteen hours, with only a short break at the far pier.",
            '"Nobody should steer a boat full of schoolchildren at the end of a fourteen-hour day," said Mara Quist, '
            "who leads the ferry crews' union, speaking on the quay as the first boats stayed tied up.",
            "The Transit Board answered that the rosters follow the national rules for inland shipping and that it "
            "had offered talks twice in the past month. It said a bus link around the southern end of the lake "
            "would run every twenty minutes while the strike lasts.",
            "The pilots' logbooks show that the night boat was already short of two crew members in March. "
            "Shopkeepers on the island side said the morning trade had all but vanished by nine o'clock.",
        ],
    ),
    "talks": (
        "Talks to end the Lakeport ferry strike begin",
        "Both sides in the Lakeport ferry strike met for the first time.",
        [
            "Representatives of the striking ferry crews and the Lakeport Transit Board sat down on Wednesday "
            "at the town hall, in the first meeting since the strike began two days earlier.",
            "Mara Quist told reporters before the meeting that the union would not discuss pay until the roster "
            "question was settled, and that the crews were ready to stay out for as long as it took.",
            "The board's chair said the timetable could resume within a day of an agreement, since the boats "
            "had been kept fuelled and inspected throughout the dispute.",
            "Parents on the island have organised car pools to the southern bus stop, and the school has moved "
            "the start of lessons back by half an hour so that pupils can make it on time.",
            "A mediator from the regional labour office joined the second session in the afternoon. "
            "Neither side would say whether the fourteen-hour shifts had been withdrawn.",
        ],
    ),
}
# Never fetched when the feed's full_text is "auto": not about the story.
BAKERY = (
    "bakery",
    "Old town bakery wins a regional bread prize",
    "A family bakery near the market square won a prize for its rye loaf.",
)
BAKERY_PARAGRAPHS = [
    "A family bakery near the market square has won this year's regional prize for its dark rye loaf, "
    "beating forty other entries from across the valley.",
    "The judges praised the crust and the slightly sour crumb, which the owners say comes from a starter "
    "kept alive in the same clay pot since their grandmother opened the shop.",
    "Queues formed outside the door by seven on Saturday morning, and the last loaves were gone before ten. "
    "The bakery plans to open a second oven in the spring to keep up with the orders.",
]


def page_only_sentence(slug: str) -> str:
    """A sentence that is on the article's page and not in its teaser."""
    return ARTICLES[slug][2][-1].split(". ")[0]


def article_page(title: str, paragraphs: list[str], *, extra_body: str = "") -> bytes:
    """A news site's page: a menu, the article, a list of other stories, a footer."""
    menu = "".join(f'<li><a href="/section/{n}">Section {n}</a></li>' for n in range(8))
    others = "".join(f'<li><a href="/other/{n}">Another headline number {n}</a></li>' for n in range(6))
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return (
        "<!doctype html><html><head><meta charset='utf-8'>"
        f"<title>{escape(title)} | The Lake Courier</title>"
        f"<meta property='og:title' content='{escape(title)}'>"
        "<meta property='og:site_name' content='The Lake Courier'></head><body>"
        f"<header><nav><ul>{menu}</ul></nav></header>"
        f"<main><article><h1>{escape(title)}</h1><p class='byline'>By a staff reporter</p>"
        f"<div class='story-body'>{body}</div>{extra_body}</article>"
        f"<aside><h2>More from the Courier</h2><ul>{others}</ul></aside></main>"
        "<footer><p>Copyright The Lake Courier. All rights reserved.</p>"
        "<p><a href='/privacy'>Privacy</a> <a href='/terms'>Terms</a></p></footer>"
        "</body></html>"
    ).encode()


def page_of(slug: str) -> bytes:
    title, _teaser, paragraphs = ARTICLES[slug]
    return article_page(title, paragraphs)


def teaser_feed(server, entries: list[tuple[str, str, str]], path_of=lambda slug: f"/articles/{slug}.html") -> bytes:
    """A feed of (slug, title, teaser) entries linking to path_of(slug) on the server."""
    return rss(*(item(slug, title, server.url(path_of(slug)), teaser) for slug, title, teaser in entries))


def story_entries(*slugs: str) -> list[tuple[str, str, str]]:
    return [(slug, ARTICLES[slug][0], ARTICLES[slug][1]) for slug in slugs]


def write_page_config(
    path: Path, feeds: list[dict[str, str]], settings: dict | None = None, story: str = STORY
) -> Path:
    """The story and these feeds, each a dict of its keys (name, url,
    full_text, selector), written as TOML strings."""
    lines = [story]
    lines.append("[settings]")
    for key, value in {"timeout": 5, "connect_timeout": 3, **(settings or {})}.items():
        lines.append(f"{key} = {value!r}")
    lines.append("")
    for feed in feeds:
        lines.append("[[feeds]]")
        lines += [f"{key} = {_toml(value)}" for key, value in feed.items()]
        lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def _toml(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
