"""Dates in text, resolved against the article's date."""

from __future__ import annotations

from datetime import UTC, date, datetime, timezone

import pytest

from briefing.analysis.timeline import date_in

MONDAY = datetime(2025, 2, 3, 9, tzinfo=UTC)  # Monday 3 February 2025


@pytest.mark.parametrize(
    "sentence,expected",
    [
        ("The leaders met on February 4, 2025 in the capital.", (date(2025, 2, 4), "d")),
        ("The leaders met on Feb. 4, 2025 in the capital.", (date(2025, 2, 4), "d")),
        ("The leaders met on 4 February 2025 in the capital.", (date(2025, 2, 4), "d")),
        ("The leaders met on 28 January in the capital.", (date(2025, 1, 28), "d")),
        ("A summit is planned for January 2.", (date(2025, 1, 2), "d")),
        ("The ministers spoke on Friday by phone.", (date(2025, 1, 31), "d")),
        ("The ministers spoke on Monday by phone.", (date(2025, 2, 3), "d")),
        ("The leaders will meet on Tuesday in Ankara.", (date(2025, 2, 4), "d")),
        ("He is expected in Ankara on Tuesday.", (date(2025, 2, 4), "d")),
        ("The deal is not expected to be finalised on Tuesday.", (date(2025, 2, 4), "d")),
        ("A deal is unlikely on Tuesday, officials said.", (date(2025, 2, 4), "d")),
        ("They meet again next Monday.", (date(2025, 2, 10), "d")),
        ("The envoy arrived yesterday.", (date(2025, 2, 2), "d")),
        ("The regime fell in December 2024 after a short offensive.", (date(2024, 12, 1), "m")),
        ("The regime fell in December after a short offensive.", (date(2024, 12, 1), "m")),
        ("The war began in 2011 and has not ended.", (date(2011, 1, 1), "y")),
        ("The deal may take months to finish.", None),
        ("Prices rose last month.", None),
    ],
)
def test_date_in(sentence, expected):
    assert date_in(sentence, MONDAY) == expected


@pytest.mark.parametrize(
    "sentence,expected",
    [
        ("The leaders met on February 4, 2025 in the capital.", (date(2025, 2, 4), "d")),
        ("The regime fell in December 2024 after a short offensive.", (date(2024, 12, 1), "m")),
        ("The leaders will meet on Tuesday in Ankara.", None),
        ("The leaders met on 28 January in the capital.", None),
        ("The envoy arrived yesterday.", None),
        ("The regime fell in December after a short offensive.", None),
    ],
)
def test_an_article_without_a_date_gives_only_dates_that_name_their_year(sentence, expected):
    imported = datetime(2026, 11, 22, 9, tzinfo=UTC)  # when the file was imported
    assert date_in(sentence, imported, anchored=False) == expected
