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


# --- a user's rules file (--rules / the rules parameter): footers inside one-line texts --------------------------

_ROOT = Path(__file__).resolve().parents[1]
_FOOTER = ("Content created by The Daily Caller News Foundation is available without charge to any eligible news "
           "publisher that can provide a large audience. For licensing opportunities of our original content, "
           "please contact [email protected].")
_ONE_LINE = [  # built like the Narrative Frames Corpus's articles: one line each, furniture inside
    ("a", "news", "The plant will close in May. Officials blamed the regulator. " + _FOOTER),
    ("b", "news", 'Critics spoke out, "it is not real," the statement said. CLICK HERE TO GET THE FOX NEWS APP'
                  "Gaetz said the agency had failed."),
    ("c", "blog", "A blog quoting the phrase click here to get the fox news app in lower case keeps it."),
]


def _documented_rules(tmp_path: Path) -> Path:
    """The rules file of docs/cleaning.md ("A footer inside a one-line text"), written out as a user would."""
    import re

    doc = (_ROOT / "docs" / "cleaning.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", doc, flags=re.S)
    assert len(blocks) == 1
    path = tmp_path / "my_rules.yaml"
    path.write_text(blocks[0], encoding="utf-8")
    return path


def _one_line_corpus(tmp_path: Path) -> Path:
    path = tmp_path / "articles.tsv"
    path.write_text("doc_id\tgenre\ttext\n" + "".join(f"{i}\t{g}\t{t}\n" for i, g, t in _ONE_LINE), encoding="utf-8")
    return path


def test_the_documented_rules_remove_footers_inside_one_line_texts(tmp_path: Path) -> None:
    from framing.corpus import load_corpus, process_corpus

    corpus = load_corpus(_one_line_corpus(tmp_path))
    shipped = process_corpus(corpus)
    assert shipped.removed_spans.empty  # the shipped rules match whole lines only: the footers stayed in
    own = process_corpus(corpus, rules=_documented_rules(tmp_path))
    removed = own.removed_spans[["doc_id", "rule", "text"]].values.tolist()
    assert removed == [["a", "daily_caller_licence", _FOOTER],
                       ["b", "fox_news_app", "CLICK HERE TO GET THE FOX NEWS APP"]]
    sentences = own.sentences.groupby("doc_id")["text"].apply(list).to_dict()
    assert sentences["a"] == ["The plant will close in May.", "Officials blamed the regulator."]
    assert sentences["b"][-1] == "Gaetz said the agency had failed."  # the glued sentence after it stays whole
    assert sentences["c"] == [_ONE_LINE[2][2]]  # a lower-case mention is content


def test_rules_on_the_command_line_and_as_a_notebook_parameter(tmp_path: Path, monkeypatch, capsys) -> None:
    import pandas as pd

    from framing.cli import main
    from framing.nbtools import setup

    monkeypatch.setenv("FRAMING_ROOT", str(tmp_path))
    corpus, rules = _one_line_corpus(tmp_path), _documented_rules(tmp_path)
    # prepare: the removed spans and the manifest name the rules; memory and stream prepare the same sentences
    assert main(["prepare", str(corpus), "--name", "m", "--rules", str(rules), "-q"]) == 0
    assert main(["prepare", str(corpus), "--name", "s", "--rules", str(rules), "--backend", "stream", "-q"]) == 0
    assert "2 removed spans" in capsys.readouterr().out.splitlines()[0]
    processed = tmp_path / "data" / "processed"
    m = pd.read_parquet(processed / "m" / "removed_spans.parquet")
    assert m["rule"].tolist() == ["daily_caller_licence", "fox_news_app"]
    s = pd.concat(pd.read_parquet(p) for p in sorted((processed / "s" / "sentences").glob("*.parquet")))
    assert s["text"].tolist() == pd.read_parquet(processed / "m" / "sentences.parquet")["text"].tolist()
    import json

    for name in ("m", "s"):
        manifest = json.loads((processed / name / "manifest.json").read_text(encoding="utf-8"))
        assert manifest["rules"] == str(rules) and manifest["rules_sha256"] == load_rules(rules).sha256, name
    # frames: no sentence of the footers is scored
    out = tmp_path / "frames.csv"
    assert main(["frames", str(corpus), "--rules", str(rules), "--out", str(out), "-q"]) == 0
    assert not pd.read_csv(out)["text"].str.contains("Daily Caller|FOX NEWS APP").any()
    # a bad rules file names the file and the rule, on the command line
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: 1\nrules:\n  - name: x\n    pattern: '(unclosed'\n", encoding="utf-8")
    assert main(["prepare", str(corpus), "--name", "b", "--rules", str(bad), "-q"]) == 2
    assert "bad.yaml:3: rule 'x' has an invalid pattern" in capsys.readouterr().err
    # the notebooks' parameter (one vocabulary with the CLI and the API), resolved against the project root
    params = {"corpus": str(corpus), "corpus_name": "nb", "reports_dir": str(tmp_path / "reports"),
              "id_col": "doc_id", "text_col": "text", "genre_col": "genre", "rules": "my_rules.yaml"}
    ctx = setup(params, style=False, quiet=True, cache=False)
    assert ctx.processed.removed_spans["rule"].tolist() == ["daily_caller_licence", "fox_news_app"]
    assert setup({**params, "rules": ""}, style=False, quiet=True, cache=False).processed.removed_spans.empty


def test_no_rules_means_the_shipped_rules() -> None:
    from framing.clean import DEFAULT_RULES

    assert load_rules("").sha256 == load_rules(None).sha256 == load_rules(DEFAULT_RULES).sha256


def test_framing_run_refuses_a_bad_rules_parameter_before_any_notebook(tmp_path: Path) -> None:
    from framing.backends.study import study_corpora
    from framing.errors import ParameterError

    params = {"corpus": "data/raw", "corpus_name": "seeds"}
    with pytest.raises(ParameterError, match=r"parameter 'rules': .*missing\.yaml: cannot read boilerplate rules"):
        study_corpora([{**params, "rules": "missing.yaml"}], tmp_path)
    (tmp_path / "r.yaml").write_text("version: 1\nrules: []\n", encoding="utf-8")
    found = study_corpora([{**params, "rules": "r.yaml"}, params], tmp_path)
    assert [c["rules"] for c in found] == [str(tmp_path / "r.yaml"), ""]


def test_every_partition_cleans_with_the_rules_the_run_read(tmp_path: Path, monkeypatch) -> None:
    """From the review: each partition reloaded the rules file by its path, so a file edited during a run could
    clean partitions with rules other than those whose SHA-256 the manifest records."""
    import framing.backends.run as run
    from framing.clean import RuleSet, load_rules
    from framing.cli import main

    monkeypatch.setenv("FRAMING_ROOT", str(tmp_path))
    corpus, rules = _one_line_corpus(tmp_path), _documented_rules(tmp_path)
    read = load_rules(rules)
    given: list[object] = []
    real = run._run_one

    def recording(part, out_dir, read_opts, *args, **kwargs):  # type: ignore[no-untyped-def]
        given.append(read_opts["rules"])
        rules.write_text("rules: []\n", encoding="utf-8")  # edited while the run goes on: no effect on it
        return real(part, out_dir, read_opts, *args, **kwargs)

    monkeypatch.setattr(run, "_run_one", recording)
    assert main(["prepare", str(corpus), "--name", "s", "--rules", str(rules), "--backend", "stream", "-q"]) == 0
    assert given and all(isinstance(r, RuleSet) and r.sha256 == read.sha256 for r in given)
    import pandas as pd

    removed = pd.concat(pd.read_parquet(p) for p in sorted((tmp_path / "data" / "processed" / "s" /
                                                             "removed_spans").glob("*.parquet")))
    assert removed["rule"].tolist() == ["daily_caller_licence", "fox_news_app"]  # the rules read at the start
