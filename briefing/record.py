"""@record: frozen value classes, without dataclasses' generated code.

`@dataclass(frozen=True)` compiles an __init__, __repr__, __eq__, __hash__,
__setattr__ and __delattr__ for each class when its module is imported,
and the dashboard's start-up pays that for the twenty value classes on its
way to the first frame: the model, the config, the store's answers, the
keys (benchmarks/log.md, "Dashboard at scale").

A record behaves the same from a few shared functions: fields in the order
they are annotated, defaults (`Factory(factory=dict)` for a fresh value each time;
a bare list, dict or set default is refused, as dataclasses does),
positional or keyword construction with the same errors, equality and hash
by value, a readable repr, assignment refused with dataclasses'
FrozenInstanceError, and `replace(value, **changes)`. Records pickle as
plain objects (the parser processes send ParsedArticles back).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import FrozenInstanceError
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, cast, dataclass_transform

T = TypeVar("T")


class _Factory:
    """A default made fresh for each record: `extra: dict = Factory(factory=dict)`
    (a keyword, which type checkers read as dataclasses' default_factory)."""

    __slots__ = ("make",)

    def __init__(self, factory: Callable[[], Any]) -> None:
        self.make = factory


if TYPE_CHECKING:  # to a type checker a Factory default is a value of the type it makes

    def Factory(*, factory: Callable[[], T]) -> T: ...  # noqa: N802

else:
    Factory = _Factory


class _Shape(Protocol):
    """What @record puts on a class, as the functions below read it."""

    _fields: tuple[str, ...]
    _field_set: frozenset[str]
    _defaults: dict[str, Any]


@dataclass_transform(frozen_default=True, field_specifiers=(Factory,))
def record(cls: type[T]) -> type[T]:
    """Make cls a frozen record of the fields it annotates (ClassVars aside).
    Methods the class defines itself are kept, as dataclasses does."""
    if "__post_init__" in cls.__dict__:
        raise TypeError(f"{cls.__name__}: records have no __post_init__")
    names: list[str] = list(getattr(cls, "_fields", ()))  # a record's subclass adds to its fields
    defaults: dict[str, Any] = dict(getattr(cls, "_defaults", {}))
    for name, annotation in cls.__dict__.get("__annotations__", {}).items():
        if str(annotation).startswith(("ClassVar", "typing.ClassVar")):
            continue
        if name not in names:
            names.append(name)
        if name in cls.__dict__:
            default = cls.__dict__[name]
            if getattr(type(default), "__hash__", None) is None:  # list, dict, set: one shared by all
                raise ValueError(f"{cls.__name__}.{name}: mutable default {type(default).__name__}; use Factory(...)")
            defaults[name] = default
            if isinstance(default, _Factory):
                delattr(cls, name)
        elif defaults and name not in defaults:
            raise TypeError(f"{cls.__name__}: field {name!r} without a default follows one with a default")
    # setattr, as the class is made over here: a checker knows none of these on an arbitrary class
    for attribute, value in (
        ("_fields", tuple(names)),
        ("_field_set", frozenset(names)),
        ("_defaults", defaults),
        ("__match_args__", tuple(names)),
        ("__setattr__", _refuse_set),
        ("__delattr__", _refuse_delete),
    ):
        setattr(cls, attribute, value)
    for method_name, method in (("__init__", _init), ("__repr__", _repr), ("__eq__", _eq), ("__hash__", _hash)):
        if method_name not in cls.__dict__:
            setattr(cls, method_name, method)
    return cls


def is_record(value: object) -> bool:
    return isinstance(getattr(type(value), "_field_set", None), frozenset)


def fields(value_or_class: object) -> tuple[str, ...]:
    return cast(_Shape, value_or_class)._fields


def replace(value: T, **changes: Any) -> T:
    """A copy of the record with some fields changed."""
    values = value.__dict__
    fields_now = {name: values[name] for name in cast(_Shape, value)._fields}
    fields_now.update(changes)
    return type(value)(**fields_now)


def _init(self: _Shape, *args: Any, **kwargs: Any) -> None:
    cls = type(self)
    names = cls._fields
    if args:
        if len(args) > len(names):
            raise TypeError(f"{cls.__name__}() takes {len(names)} positional arguments but {len(args)} were given")
        for name, value in zip(names, args, strict=False):
            if name in kwargs:
                raise TypeError(f"{cls.__name__}() got multiple values for argument {name!r}")
            kwargs[name] = value
    unknown = kwargs.keys() - cls._field_set
    if unknown:
        raise TypeError(f"{cls.__name__}() got an unexpected keyword argument {sorted(unknown)[0]!r}")
    if len(kwargs) < len(names):
        defaults = cls._defaults
        for name in names:
            if name not in kwargs:
                if name not in defaults:
                    raise TypeError(f"{cls.__name__}() missing required argument: {name!r}")
                default = defaults[name]
                kwargs[name] = default.make() if isinstance(default, _Factory) else default
    self.__dict__.update(kwargs)


def _repr(self: _Shape) -> str:
    values = self.__dict__
    return f"{type(self).__qualname__}({', '.join(f'{name}={values[name]!r}' for name in self._fields)})"


def _eq(self: _Shape, other: object) -> bool:
    if type(other) is type(self):
        mine, theirs = self.__dict__, other.__dict__
        return all(mine[name] == theirs[name] for name in self._fields)
    return NotImplemented


def _hash(self: _Shape) -> int:
    values = self.__dict__
    return hash(tuple(values[name] for name in self._fields))


def _refuse_set(self: object, name: str, value: object) -> None:
    raise FrozenInstanceError(f"cannot assign to field {name!r}")


def _refuse_delete(self: object, name: str) -> None:
    raise FrozenInstanceError(f"cannot delete field {name!r}")
