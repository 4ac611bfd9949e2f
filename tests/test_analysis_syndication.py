"""Near-duplicate (syndicated) articles."""

from __future__ import annotations

import random

from briefing.analysis.names import words
from briefing.analysis.syndication import clusters, signature, similarity

WIRE = (
    "Officials from both countries met on Tuesday in the capital to discuss a security agreement that "
    "would allow joint patrols along the border and the training of new army units. The talks lasted "
    "four hours and ended without a signed text, but both delegations said they would meet again within "
    "a month. Analysts said the deal would mark a turning point for the region and could reshape "
    "relations with neighbouring states that have watched the rapprochement with concern."
)


def edited(text: str) -> str:
    return (
        text.replace("on Tuesday", "on Tuesday afternoon")
        .replace("four hours", "nearly four hours")
        .replace("Analysts said", "Several analysts said")
    )


def test_light_edits_keep_high_similarity_and_other_texts_low():
    a, b = signature(words(WIRE)), signature(words(edited(WIRE)))
    other = signature(
        words(
            "The city marathon drew a record field of runners this spring, and organisers "
            "plan to widen the course next year to ease crowding near the finish line in the park."
        )
    )
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


def test_packed_signatures_compare_like_lists():
    from briefing.analysis.syndication import SIMILAR, K, close, pack_signature

    rng = random.Random(5)
    for _ in range(300):
        a = [rng.randrange(65536) for _ in range(K)]
        b = [v if rng.random() < rng.random() else rng.randrange(65536) for v in a]
        assert close(pack_signature(a), pack_signature(b)) == (similarity(a, b) >= SIMILAR)


def test_clusters_kept_up_to_date_match_clusters_from_scratch():
    """Adds in any order, replacements and removals: the same clusters as
    clustering what is left from scratch."""
    from briefing.analysis.syndication import Clusters

    rng = random.Random(11)
    vocab = "army border talks deal region envoy troops patrol vote court river dam farm city school".split()
    stories = [" ".join(rng.choice(vocab) for _ in range(60)) for _ in range(6)]

    def variant(text: str) -> list[int]:
        ws = text.split()
        for _ in range(rng.randrange(0, 12)):
            ws[rng.randrange(len(ws))] = rng.choice(vocab)
        return signature(words(" ".join(ws)))

    for _ in range(20):
        held: dict[int, list[int]] = {}
        state = Clusters()
        for _ in range(60):
            roll = rng.random()
            aid = rng.randrange(1, 40)
            if roll < 0.75:
                held[aid] = variant(rng.choice(stories)) if rng.random() < 0.9 else []
                state.add(aid, held[aid])
            elif aid in held:
                del held[aid]
                state.remove(aid)
        expected = _reference(held)
        assert clusters(held.items()) == expected
        assert {aid: state.find(aid) for aid in held} == expected
        groups = {}
        for aid, root in expected.items():
            groups.setdefault(root, set()).add(aid)
        assert {root: set(ids) for root, ids in state.members.items()} == {
            root: ids for root, ids in groups.items() if len(ids) > 1
        }
        assert len(state) == len(groups)


def _reference(sigs: dict[int, list[int]]) -> dict[int, int]:
    """The definition, plainly: in each LSH bucket, neighbours by id that are
    similar enough are linked; clusters are the linked groups, named by
    their smallest id."""
    from briefing.analysis.syndication import ROWS, SIMILAR, K

    buckets: dict[tuple, list[int]] = {}
    for aid, sig in sigs.items():
        if len(sig) == K:
            for band in range(0, K, ROWS):
                buckets.setdefault((band, *sig[band : band + ROWS]), []).append(aid)
    name = {aid: aid for aid in sigs}
    for ids in buckets.values():
        ids.sort()
        for a, b in zip(ids, ids[1:], strict=False):
            if similarity(sigs[a], sigs[b]) >= SIMILAR and name[a] != name[b]:
                old, new = max(name[a], name[b]), min(name[a], name[b])
                name = {k: new if v == old else v for k, v in name.items()}
    return name
