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
        for bad in (
            lambda make=make: make(),
            lambda make=make: make(1, 2, [], 4),
            lambda make=make: make(1, x=2),
            lambda make=make: make(1, z=3),
        ):
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


def test_what_dataclasses_refuses_or_keeps_a_record_does_too():
    with pytest.raises(ValueError):

        @record
        class SharedList:
            items: list = []  # noqa: RUF012 - the point of the test

    @record
    class Own:
        x: int

        def __repr__(self) -> str:
            return "mine"

    assert repr(Own(1)) == "mine" and Own(1) == Own(1)
    with pytest.raises(TypeError):

        @record
        class Checked:
            x: int

            def __post_init__(self) -> None:
                pass

    @record
    class Base:
        a: int = 1

    @record
    class Sub(Base):
        a: int  # re-annotated: keeps the inherited default
        b: int = 2

    assert (Sub().a, Sub().b) == (1, 2) and fields(Sub) == ("a", "b")


def test_equality_and_replace_look_at_fields_only():
    from functools import cached_property

    @record
    class Doubling:
        x: int

        @cached_property
        def double(self) -> int:
            return self.x * 2

    first = Doubling(2)
    assert first.double == 4  # cached in the instance's __dict__
    assert first == Doubling(2) and replace(first, x=3) == Doubling(3)
