"""Actor matching (aliases, diacritics, particles, possessives, surnames),
roles from the text, and names the story does not list."""

from __future__ import annotations

import pytest

from briefing.analysis import analyse_article
from briefing.analysis.actors import ActorMatcher
from briefing.analysis.names import fold
from briefing.analysis.roles import role_near
from briefing.config import Actor, Story
from tests.helpers.analysis import make_article

ACTORS = (
    Actor("Ahmed al-Sharaa", aliases=("Ahmed al-Shara",), kind="person"),
    Actor("Recep Tayyip Erdoğan", kind="person"),
    Actor("Türkiye", aliases=("Turkey",), kind="state"),
    Actor("Murhaf Abu Qasra", kind="person"),
    Actor("Hafez al-Assad", kind="person"),
    Actor("Bashar al-Assad", kind="person"),
)


def names_found(sentence: str, actors=ACTORS) -> list[str]:
    matcher = ActorMatcher(actors)
    return [actors[m.actor].name for m in matcher.find(sentence)]


def test_fold_transliterates_turkish_and_strips_accents():
    assert fold("Erdoğan") == "erdogan"
    assert fold("Türkiye") == "turkiye"
    assert fold("İstanbul ŞIŞLI çöl") == "istanbul sisli col"
    assert fold("Sharaa’s") == "sharaa's"
    assert fold("Gaëlle Müller") == "gaelle muller"


@pytest.mark.parametrize(
    "sentence",
    [
        "Ahmed al-Sharaa arrived.",
        "Ahmed Al-Sharaa arrived.",
        "Ahmed al Sharaa arrived.",
        "AHMED AL-SHARAA arrived.",
        "Ahmed al-Shara arrived.",
        "Al-Sharaa arrived.",
        "al-Sharaa arrived.",
        "Sharaa arrived.",
        "Sharaa's forces arrived.",
        "Sharaa’s forces arrived.",
    ],
)
def test_sharaa_in_every_spelling(sentence):
    assert names_found(sentence) == ["Ahmed al-Sharaa"]


@pytest.mark.parametrize(
    "sentence",
    [
        "Recep Tayyip Erdoğan spoke.",
        "Recep Tayyip Erdogan spoke.",
        "Erdogan spoke.",
        "Erdoğan’s office spoke.",
        "President Erdogan spoke.",
    ],
)
def test_erdogan_with_and_without_diacritics(sentence):
    assert names_found(sentence) == ["Recep Tayyip Erdoğan"]


def test_country_variants_only_through_aliases():
    assert names_found("Turkey and Türkiye and TURKIYE and Turkiye.") == ["Türkiye"] * 4
    # "Turkish" is not an alias, so it is not a mention.
    assert names_found("Turkish troops moved.") == []


def test_surname_only_counts_when_unambiguous():
    # Two al-Assads: "Assad" alone belongs to neither.
    assert names_found("Assad fled the capital.") == []
    assert names_found("Bashar al-Assad fled the capital.") == ["Bashar al-Assad"]
    # Abu Qasra is a compound surname; the bare last word works too.
    assert names_found("Abu Qasra said so.") == ["Murhaf Abu Qasra"]
    assert names_found("Qasra said so.") == ["Murhaf Abu Qasra"]


def test_surname_needs_a_capital_and_not_someone_elses_first_name():
    actors = (Actor("John Brown", kind="person"),)
    assert names_found("The brown envelope arrived.", actors) == []
    assert names_found("Brown said no.", actors) == ["John Brown"]
    assert names_found("Minister Brown said no.", actors) == ["John Brown"]
    assert names_found("Gordon Brown said no.", actors) == []


def test_no_surname_rule_for_organisations():
    actors = (Actor("Syrian Democratic Forces", aliases=("SDF",), kind="group"),)
    assert names_found("The forces of the SDF moved. Forces moved.", actors) == ["Syrian Democratic Forces"]


# --- roles ---------------------------------------------------------------


def role_of(sentence: str, name: str) -> str | None:
    start = sentence.index(name)
    return role_near(sentence, start, start + len(name))


def test_role_before_the_name_as_appositive():
    sentence = "Syria's new defense minister, Murhaf Abu Qasra, said the army would grow."
    assert role_of(sentence, "Murhaf Abu Qasra") == "Syria's new defense minister"


def test_role_after_the_name_as_appositive():
    sentence = "Murhaf Abu Qasra, Syria's defense minister, said the army would grow."
    assert role_of(sentence, "Murhaf Abu Qasra") == "Syria's defense minister"


def test_role_as_title():
    assert role_of("Turkish Foreign Minister Hakan Fidan met the envoy.", "Hakan Fidan") == "Turkish Foreign Minister"
    assert role_of("He met former leader Bashar al-Assad twice.", "Bashar al-Assad") == "former leader"


def test_no_role_from_ordinary_clauses():
    assert role_of("Erdogan, speaking alongside his guest, praised the talks.", "Erdogan") is None
    assert role_of("On Tuesday, Erdogan, Fidan and Altun met.", "Erdogan") is None
    assert role_of("The talks with Erdogan went well.", "Erdogan") is None


def test_role_from_text_reaches_the_analysis_and_file_role_wins_in_briefing():
    story = Story(id="x", title="x", actors=(Actor("Murhaf Abu Qasra"), Actor("Hakan Fidan", role="top diplomat")))
    article = make_article(
        1,
        "Syria's new defense minister, Murhaf Abu Qasra, met Turkish Foreign Minister "
        "Hakan Fidan in Ankara on Monday to discuss training.",
    )
    result = analyse_article(article, story)
    assert result["role"] == {
        "Murhaf Abu Qasra": "Syria's new defense minister",
        "Hakan Fidan": "Turkish Foreign Minister",
    }


# --- also mentioned -------------------------------------------------------


def test_names_not_in_the_story_are_collected_without_noise():
    story = Story(
        id="x", title="x", keywords=("Ankara",), actors=(Actor("Hakan Fidan"), Actor("Türkiye", kind="state"))
    )
    text = (
        "Following the meeting, Turkish Foreign Minister Hakan Fidan thanked the Hale Institute for its report. "
        "On Monday, researcher Selin Aydın of the Hale Institute presented it in Ankara.\n\n"
        "Meanwhile the Istanbul Chamber of Commerce welcomed the plan. Aydın said the plan was bold.\n\n"
        "In February, the following step is a vote."
    )
    names = analyse_article(make_article(1, text), story)["names"]
    assert names.get("Hale Institute") == 2
    assert names.get("Selin Aydın") == 2  # the bare surname counts for her
    assert "Istanbul Chamber of Commerce" in names
    for noise in ("Hakan Fidan", "Following", "Turkish Foreign Minister", "On Monday", "In February", "Meanwhile"):
        assert not any(noise in n for n in names), (noise, names)


def test_a_name_next_to_an_actor_is_still_found():
    story = Story(id="x", title="x", actors=(Actor("Saudi Arabia", aliases=("Saudi",), kind="state"),))
    text = (
        "The envoy met Saudi Crown Prince Mohammed bin Salman in the capital. "
        "Later Mohammed bin Salman hosted a dinner for the delegation."
    )
    names = analyse_article(make_article(1, text), story)["names"]
    assert names == {"Mohammed bin Salman": 2}
