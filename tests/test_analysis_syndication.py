"""Near-duplicate (syndicated) articles."""

from __future__ import annotations

import random

from briefing.analysis.names import words
from briefing.analysis.syndication import clusters, signature, similarity

WIRE = ("Officials from both countries met on Tuesday in the capital to discuss a security agreement that "
        "would allow joint patrols along the border and the training of new army units. The talks lasted "
        "four hours and ended without a signed text, but both delegations said they would meet again within "
        "a month. Analysts said the deal would mark a turning point for the region and could reshape "
        "relations with neighbouring states that have watched the rapprochement with concern.")


def edited(text: str) -> str:
    return (text.replace("on Tuesday", "on Tuesday afternoon").replace("four hours", "nearly four hours")
            .replace("Analysts said", "Several analysts said"))


def test_light_edits_keep_high_similarity_and_other_texts_low():
    a, b = signature(words(WIRE)), signature(words(edited(WIRE)))
    other = signature(words("The city marathon drew a record field of runners this spring, and organisers "
                            "plan to widen the course next year to ease crowding near the finish line in the park."))
    assert similarity(a, b) >= 0.5
    assert similarity(a, other) < 0.2


def test_signature_is_stable_json_ints():
    sig = signature(words(WIRE))
    assert sig == signature(words(WIRE)) and all(isinstance(x, int) for x in sig) and len(sig) == 24
    assert signature(words("Too short to judge.")) == []


def test_clusters_group_copies_and_leave_others_alone():
    rng = random.Random(3)
    vocab = "army border talks deal region envoy troops patrol vote court river dam farm city school".split()
    others = [" ".join(rng.choice(vocab) for _ in range(80)) for _ in range(50)]
    sigs = [(1, signature(words(WIRE))), (2, signature(words(edited(WIRE))))]
    sigs += [(10 + i, signature(words(text))) for i, text in enumerate(others)]
    sigs.append((99, signature(words(edited(edited(WIRE))))))
    result = clusters(sigs)
    assert result[1] == result[2] == result[99] == 1
    assert all(result[10 + i] == 10 + i for i in range(50))
