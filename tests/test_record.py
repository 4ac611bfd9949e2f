"""@record behaves as @dataclass(frozen=True) does for what the project uses:
construction, defaults, equality, hashing, immutability, replace, pickling."""

from __future__ import annotations

import pickle
from dataclasses import FrozenInstanceError, dataclass, field
from typing import ClassVar

import pytest

from briefing.model import ArticleRow, Briefing
from briefing.record import Factory, fields, is_record, record, replace


@record
class Point:
    x: int
    y: int = 0
    tags: list = Factory(list)
    unit: ClassVar[str] = "cm"


@dataclass(frozen=True)
class DataPoint:
    x: int
    y: int = 0
    tags: list = field(default_factory=list)


def test_construction_matches_a_frozen_dataclass():
    for make in (Point, DataPoint):
        assert (make(1).x, make(1).y, make(1).tags) == (1, 0, [])
        assert make(1, 2).y == make(x=1, y=2).y == 2
        for bad in (lambda: make(), lambda: make(1, 2, [], 4), lambda: make(1, x=2), lambda: make(1, z=3)):
            with pytest.raises(TypeError):
                bad()
    assert fields(Point) == ("x", "y", "tags")  # the ClassVar is not a field
    assert Point.unit == "cm"


def test_a_factory_default_is_fresh_for_each_record():
    first, second = Point(1), Point(2)
    first.tags.append("a")
    assert second.tags == [] and Point(3).tags == []


def test_equality_hash_and_repr_are_by_value():
    assert Point(1, 2) == Point(1, 2) and Point(1, 2) != Point(2, 1)
    assert Point(1, 2, ["a"]) != Point(1, 2)
    assert Point(1, 2) != DataPoint(1, 2)  # another class is never equal
    row = ArticleRow(id=1, title="t", source="s", link=None, published=None)
    assert hash(row) == hash(ArticleRow(1, "t", "s", None, None)) and {row, replace(row)} == {row}
    with pytest.raises(TypeError):
        hash(Point(1))  # a list field: unhashable, as a dataclass would be
    assert repr(Point(1, 2)) == "Point(x=1, y=2, tags=[])"


def test_records_are_frozen():
    point = Point(1)
    with pytest.raises(FrozenInstanceError):
        point.x = 2
    with pytest.raises(FrozenInstanceError):
        del point.y
    assert point.x == 1


def test_replace_changes_some_fields_and_checks_the_names():
    row = ArticleRow(id=1, title="t", source="s", link=None, published=None)
    read = replace(row, read=True)
    assert read.read and not row.read and replace(read, read=False) == row
    with pytest.raises(TypeError):
        replace(row, unread=True)


def test_records_pickle_and_are_told_from_other_values():
    briefing = Briefing(story_id="s", story_title="T", generated_at=None, extra={"k": 1})
    again = pickle.loads(pickle.dumps(briefing))
    assert again == briefing and again.extra == {"k": 1}
    with pytest.raises(FrozenInstanceError):
        again.story_id = "x"
    assert is_record(briefing) and not is_record(DataPoint(1)) and not is_record(Briefing)


def test_a_field_without_default_after_one_with_is_refused():
    with pytest.raises(TypeError):
        @record
        class Bad:
            a: int = 0
            b: int
