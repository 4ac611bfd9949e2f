"""Benchmark: article text from real article pages, scored against the text
a person marked on each.

    uv run python benchmarks/extraction.py [--configurations] [--worst N]

Reads the pages of the article-pages corpus (../shared/corpora/article-pages
beside the checkout, or $BRIEFING_CORPORA/article-pages): gzip-compressed
HTML in html/, the marked text in ground-truth.json. Scores, in one run,
briefing.ingest.page_text.extract_article and trafilatura's default
(`trafilatura.extract(html)`) on the same pages, as the corpus's README
says: both texts split into `\\w+` words, runs of four words ("shingles")
counted, per page true positives (shingles in both, the smaller count),
false positives (extra ones extracted) and false negatives (marked ones
missed) divided by their sum; precision and recall are the means over
pages of tp/(tp+fp) and tp/(tp+fn), a page with nothing extracted scoring
0; F1 comes from the two means. CPU time is the extraction's alone
(time.process_time around each call), total and median a page.

--configurations also scores the other trafilatura options tried
(benchmarks/extraction.md); --worst N lists the N lowest-scoring pages.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

_WORD = re.compile(r"\w+")


class Page(NamedTuple):
    id: str
    url: str
    html: bytes
    truth: str


class Scores(NamedTuple):
    f1: float
    precision: float
    recall: float


def corpus_dir() -> Path:
    """The article pages: $BRIEFING_CORPORA/article-pages, else beside the checkout."""
    env = os.environ.get("BRIEFING_CORPORA")
    base = Path(env) if env else REPO.parent / "shared" / "corpora"
    return base / "article-pages"


def load_pages(root: Path | None = None) -> list[Page]:
    root = root or corpus_dir()
    truth = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
    return [
        Page(
            key,
            entry.get("url", ""),
            gzip.decompress((root / "html" / f"{key}.html.gz").read_bytes()),
            entry.get("articleBody") or "",
        )
        for key, entry in sorted(truth.items())
    ]


def shingles(text: str, size: int = 4) -> Counter:
    words = _WORD.findall(text or "")
    return Counter(tuple(words[i : i + size]) for i in range(len(words) - size + 1))


def page_counts(truth: str, extracted: str) -> tuple[float, float, float]:
    """(tp, fp, fn) for one page, divided by their sum."""
    marked, found = shingles(truth), shingles(extracted)
    tp = sum((marked & found).values())
    fp = sum((found - marked).values())
    fn = sum((marked - found).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def page_precision_recall(truth: str, extracted: str) -> tuple[float, float]:
    tp, fp, fn = page_counts(truth, extracted)
    if tp + fp + fn == 0:  # nothing marked and nothing extracted: nothing wrong
        return 1.0, 1.0
    return (tp / (tp + fp) if tp + fp else 0.0), (tp / (tp + fn) if tp + fn else 0.0)


def score(pairs: list[tuple[str, str]]) -> Scores:
    """Scores of (marked text, extracted text) pairs, one a page."""
    per_page = [page_precision_recall(truth, extracted) for truth, extracted in pairs]
    precision = statistics.fmean(p for p, _ in per_page)
    recall = statistics.fmean(r for _, r in per_page)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Scores(f1, precision, recall)


class Run(NamedTuple):
    scores: Scores
    seconds: list[float]
    texts: list[str]


def run(extract: Callable[[Page], str], pages: list[Page]) -> Run:
    texts, seconds = [], []
    for page in pages:
        started = time.process_time()
        text = extract(page)
        seconds.append(time.process_time() - started)
        texts.append(text or "")
    return Run(score([(page.truth, text) for page, text in zip(pages, texts, strict=False)]), seconds, texts)


def briefing_extract(page: Page) -> str:
    from briefing.ingest.page_text import extract_article

    return extract_article(page.html, url=page.url).text


def trafilatura_with(**options) -> Callable[[Page], str]:
    def extract(page: Page) -> str:
        import trafilatura

        return trafilatura.extract(page.html, **options) or ""

    return extract


# The options tried on the way to page_text.EXTRACT_OPTIONS.
TRIED = {
    "include_comments=False": dict(include_comments=False),
    "favor_precision": dict(favor_precision=True),
    "favor_recall": dict(favor_recall=True),
    "favor_precision, include_comments=False": dict(favor_precision=True, include_comments=False),
    "favor_precision, include_comments=False, include_tables=False": dict(
        favor_precision=True, include_comments=False, include_tables=False
    ),
    "favor_precision, include_comments=False, deduplicate": dict(
        favor_precision=True, include_comments=False, deduplicate=True
    ),
    "favor_precision, include_comments=False, fast": dict(favor_precision=True, include_comments=False, fast=True),
    "include_comments=False, fast": dict(include_comments=False, fast=True),
}


def line(name: str, result: Run) -> str:
    s = result.scores
    return (
        f"{name:<64} F1 {s.f1:.4f}  precision {s.precision:.4f}  recall {s.recall:.4f}  "
        f"CPU {sum(result.seconds):5.1f} s total, {1000 * statistics.median(result.seconds):4.0f} ms median"
    )


def import_extract(page: Page) -> str:
    """What `briefing import page.html` stores as the article's text."""
    import tempfile

    from briefing.ingest.files import read_articles

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "page.html"
        path.write_bytes(page.html)
        return "\n\n".join(article.text for article in read_articles(path))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--configurations", action="store_true", help="also score the other options tried")
    parser.add_argument("--worst", type=int, default=0, metavar="N", help="list the N lowest-scoring pages")
    args = parser.parse_args(argv)
    root = corpus_dir()
    if not (root / "ground-truth.json").is_file():
        print(f"extraction: no corpus at {root} (set BRIEFING_CORPORA)", file=sys.stderr)
        return 2
    pages = load_pages(root)
    import trafilatura  # imported before timing, as a running process has it

    print(f"{len(pages)} pages from {root}; trafilatura {trafilatura.__version__}")
    ours = run(briefing_extract, pages)
    print(line("briefing extract_article", ours))
    print(line("trafilatura.extract(html), defaults", run(trafilatura_with(), pages)))
    print(line("briefing import page.html", run(import_extract, pages)))
    if args.configurations:
        for name, options in TRIED.items():
            print(line(f"trafilatura: {name}", run(trafilatura_with(**options), pages)))
    if args.worst:
        pairs = zip(pages, ours.texts, strict=False)
        ranked = sorted(pairs, key=lambda pair: min(page_precision_recall(pair[0].truth, pair[1])))
        for page, text in ranked[: args.worst]:
            precision, recall = page_precision_recall(page.truth, text)
            print(f"  precision {precision:.2f} recall {recall:.2f}  {page.id[:12]}  {page.url}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
