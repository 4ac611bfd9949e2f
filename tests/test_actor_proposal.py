"""The kind and role proposed for a name before it is added to the story."""

from __future__ import annotations

import pytest

from briefing.analysis.proposal import propose_actor
from briefing.model import ActorView


def _view(name: str, role: str | None = None) -> ActorView:
    return ActorView(name=name, kind="", role=role, mentions=4, articles=2, listed=False)


@pytest.mark.parametrize(
    ("name", "role", "kind"),
    [
        ("Tomas Brekke", "the union's spokesman", "person"),
        ("Ilse Varnholt", None, "person"),
        ("Halvik Port Authority", None, "organization"),
        ("Coastal Shipping Corp", None, "organization"),
        ("Republic of Norland", None, "state"),
        ("Northern Liberation Front", None, "group"),
        ("Maersk", None, "organization"),
    ],
)
def test_kind_is_proposed_from_the_name_and_its_role(name: str, role: str | None, kind: str) -> None:
    assert propose_actor(_view(name, role)) == (kind, role)
