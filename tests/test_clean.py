from __future__ import annotations

from pathlib import Path

import pytest

from framing.clean import find_boilerplate, load_rules, mask_spans
from framing.errors import ConfigError


@pytest.fixture(scope="module")
def rules():
    return load_rules()


def removed(text: str, rules) -> list[tuple[str, str]]:
    return [(s.rule, s.text) for s in find_boilerplate(text, rules)]


def test_seed_boilerplate_is_removed_and_content_kept(seeds) -> None:
    spans = seeds.removed_spans
    by_doc = {d: set(g["rule"]) for d, g in spans.groupby("doc_id")}
    assert by_doc["002_216b1723a7191dad"] == {"donation_appeal", "comment_widget"}
    assert "post_footer" in by_doc["000_3847d360f0486ec9"]
    assert {"dateline", "read_more", "comment_widget"} <= by_doc["001_e8e8082881e30bfc"]
    texts = set(spans["text"])
    for furniture in ["No comments:", "Comments are closed.", "Click title for full article.",
                      "Tuesday, December 02, 2008", "Join our commenting forum", "Comments"]:
        assert furniture in texts
    sents = seeds.sentences
    # the article sentence glued to the appeal ("...difference.A devastating ...") stays, the appeal goes
    first = sents[sents.doc_id == "002_216b1723a7191dad"].iloc[1]["text"]
    assert first.startswith("A devastating picture of child protection failings")
    assert not sents["text"].str.contains("Your support").any()
    # headlines and section headings are content (004's headline has a no-break space: compare folded)
    folded = set(sents["text"].str.replace("\u00a0", " "))
    for heading in ["In 16 pages, the errors that cost the life of a 17-month-old", "Management",
                    "The Baby P review", "Risk assessment, record keeping and planning",
                    "Baby P report goes to Ed Balls today", "Devastating report reveals Baby P failings."]:
        assert heading in folded


def test_every_removed_span_points_into_the_raw_text(seeds) -> None:
    raw = dict(zip(seeds.documents.doc_id, seeds.documents.text, strict=True))
    for row in seeds.removed_spans.itertuples():
        assert raw[row.doc_id][row.start:row.end] == row.text


def test_dates_inside_sentences_are_content(rules) -> None:
    text = "On 1 December 2008 the minister spoke.\n1 December 2008\n"
    assert removed(text, rules) == [("dateline", "1 December 2008")]


def test_mask_preserves_offsets(rules) -> None:
    text = "Keep this.\nNo comments:\nAnd this."
    spans = find_boilerplate(text, rules)
    masked = mask_spans(text, spans)
    assert len(masked) == len(text)
    assert "No comments" not in masked
    assert masked.index("And this.") == text.index("And this.")


def test_overlaps_resolve_to_the_earliest_longest_match(tmp_path: Path) -> None:
    p = tmp_path / "r.yaml"
    p.write_text("rules:\n  - name: short\n    pattern: 'ab'\n  - name: long\n    pattern: 'abc'\n", encoding="utf-8")
    assert removed("abcab", load_rules(p)) == [("long", "abc"), ("short", "ab")]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("rules: [\n", "invalid YAML"),
        ("rules:\n  - name: x\n    pattern: '('\n", "invalid pattern"),
        ("rules:\n  - name: x\n    pattern: 'a'\n    colour: red\n", "unknown key"),
        ("rules:\n  - name: x\n    pattern: a\n  - name: x\n    pattern: b\n", "duplicate rule name"),
        ("rules:\n  - name: x\n", "needs both"),
        ("- just a list\n", "'rules' list"),
    ],
)
def test_bad_rules_name_the_file(tmp_path: Path, content: str, message: str) -> None:
    p = tmp_path / "bad.yaml"
    p.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=message) as info:
        load_rules(p)
    assert str(p) in str(info.value)


# --- the one-scan prefilter of find_boilerplate_many ------------------------------------------------------

_PIECES = ["Comments", "Comments (3):", "  Share this story", "Posted by Ann at 5pm", "12 March 2009",
           "Tuesday, December 02, 2008", "Your support helps us to tell the story", "of Haringey.",
           "Your donation makes all the difference.", "Read more", "The council said it was sorry.",
           "Ofsted failed. Comments are closed.", "\u212aomments", "COMMENTS", "Donate now", "", "x", "\t"]


def _generated_texts(seed: int, n: int) -> list[str]:
    import numpy as np

    rng = np.random.default_rng(seed)
    texts = []
    for _ in range(n):
        k = int(rng.integers(0, 6))
        lines = [_PIECES[i] for i in rng.integers(0, len(_PIECES), k)]
        # mostly plain texts, as in a news corpus; some with boilerplate and line ends anywhere
        texts.append("\n".join(lines) if rng.random() < 0.3 else "Plain sentence. " * int(rng.integers(0, 3)))
    return texts


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_boilerplate_many_equals_text_by_text_on_generated_texts(rules, seed: int) -> None:
    from framing.clean import _prefilter, find_boilerplate_many

    assert _prefilter(rules) is not None  # the shipped rules take the one-scan path
    texts = _generated_texts(seed, 300)
    want = [find_boilerplate(t, rules) for t in texts]
    assert sum(map(len, want)) >= 20 and sum(not w for w in want) >= 100  # both kinds of text are there
    assert find_boilerplate_many(texts, rules) == want


def _rules(tmp_path: Path, *patterns: str):
    body = "".join(f"  - name: r{i}\n    pattern: '{p}'\n" for i, p in enumerate(patterns))
    path = tmp_path / "rules.yaml"
    path.write_text("rules:\n" + body, encoding="utf-8")
    return load_rules(path)


@pytest.mark.parametrize(("patterns", "joined"), [
    # a match that takes the newline after it: the next text's match starts behind the newline it took
    (["(?m)^Comments\\n", "(?m)^y$"], True),
    # a block over two texts when joined; its rule matches a line of the second text alone
    (["(?ims)^Begin\\b.*?\\bEnd\\.", "(?im)^x[ \\t]*$"], True),
    (["(?mx)^Comments  # verbose: not joined\n", "(?m)^y$"], False),
    (["(?m)^(a)\\1$", "(?m)^y$"], False),  # a back-reference: not joined
    (["(?m)^(?P<w>a)$", "(?m)^(?P<w>y)$"], False),  # the same group name twice: not joined
])
def test_boilerplate_many_prefilter_edges(tmp_path: Path, patterns: list[str], joined: bool) -> None:
    from framing.clean import _prefilter, find_boilerplate_many

    rules = _rules(tmp_path, *patterns)
    assert (_prefilter(rules) is not None) is joined
    texts = ["Comments", "Comments\nx", "plain", "y", "Begin here", "and End.\nx", "aa", "y\nComments\n", "End."]
    want = [find_boilerplate(t, rules) for t in texts]
    assert sum(map(len, want)) >= 2
    assert find_boilerplate_many(texts, rules) == want
