"""Quotations and their speakers."""

from __future__ import annotations

from briefing.analysis import analyse_article
from briefing.config import Actor, Story
from tests.helpers.analysis import make_article

STORY = Story(
    id="x",
    title="x",
    actors=(
        Actor("Ahmed al-Sharaa", kind="person"),
        Actor("Recep Tayyip Erdoğan", kind="person"),
        Actor("Türkiye", aliases=("Turkey",), kind="state"),
    ),
)


def quotes(text: str, story: Story = STORY) -> list[tuple[str, str, str | None]]:
    """(quotation, speaker, actor) found in `text`."""
    return [(q[0], q[1], q[2]) for q in analyse_article(make_article(1, text), story)["quo"]]


def test_named_speaker_after_the_quote():
    assert quotes('"Our door is open to every neighbour who wants peace," Erdogan said.') == [
        ("Our door is open to every neighbour who wants peace", "Recep Tayyip Erdoğan", "Recep Tayyip Erdoğan")
    ]


def test_inverted_attribution_said_x():
    assert quotes("“The border will stay closed for now,” said Lina Haddad, a spokeswoman for the crossing.") == [
        ("The border will stay closed for now", "Lina Haddad", None)
    ]


def test_speaker_before_the_quote_with_colon():
    text = 'Sharaa told reporters: "We will rebuild the army with our friends."'
    assert quotes(text) == [("We will rebuild the army with our friends.", "Ahmed al-Sharaa", "Ahmed al-Sharaa")]


def test_stated_and_according_to():
    text = (
        '"Nothing has been signed and nothing will be this week," Omar Nasser stated.\n\n'
        '"The talks are going in the right direction," according to Erdogan.'
    )
    assert quotes(text) == [
        ("Nothing has been signed and nothing will be this week", "Omar Nasser", None),
        ("The talks are going in the right direction", "Recep Tayyip Erdoğan", "Recep Tayyip Erdoğan"),
    ]


def test_pronoun_resolves_to_last_person_named_before_it():
    text = (
        "Al-Sharaa thanked Turkey for hosting refugees for more than a decade: “The Syrian people will "
        "not forget what Turkey did for them,” he said."
    )
    assert quotes(text) == [
        ("The Syrian people will not forget what Turkey did for them", "Ahmed al-Sharaa", "Ahmed al-Sharaa")
    ]


def test_pronoun_reaches_into_the_previous_paragraph_and_skips_names_in_quotes():
    text = (
        "“I would like to thank my brother Ahmed al-Sharaa for his courage,” Erdogan said.\n\n"
        "“I told al-Sharaa that we are ready to help Syria fight every kind of terrorism,” he added."
    )
    found = quotes(text)
    assert [q[1] for q in found] == ["Recep Tayyip Erdoğan", "Recep Tayyip Erdoğan"]


def test_name_inside_the_quote_is_not_the_speaker():
    text = '"Erdogan promised us jets and training for our pilots," said Karim Aziz, a Syrian officer.'
    assert quotes(text) == [("Erdogan promised us jets and training for our pilots", "Karim Aziz", None)]


def test_scare_quotes_are_not_quotations():
    text = 'Ankara calls the Kurdish units "terrorists" and says the two states share a “joint strategy”, Erdogan said.'
    assert quotes(text) == []


def test_unattributed_quotation_is_dropped():
    assert quotes('The banner read "We will never forget the martyrs of this war".') == []


def test_surname_speaker_resolves_to_full_name_seen_earlier():
    text = (
        "The analyst Selin Aydın has followed the talks for months.\n\n"
        '"Nobody expects a signed pact this week," Aydın said.'
    )
    assert quotes(text) == [("Nobody expects a signed pact this week", "Selin Aydın", None)]


def test_titled_speaker_names():
    text = (
        '"We will not accept foreign bases on our soil," said Syria\'s interim president Ahmed al-Sharaa.\n\n'
        'Turkish Foreign Minister Hakan Fidan told reporters: "The border must be secured within months."'
    )
    assert [q[1] for q in quotes(text)] == ["Ahmed al-Sharaa", "Hakan Fidan"]
