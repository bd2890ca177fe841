r"""Throughput of the lexicon engine against the ``liwc`` package (issue 3).

Run: ``python -m benchmarks lexicon`` (or ``python -m benchmarks.bench_lexicon [--mb 100]``).

The BBC News corpus (``../shared/corpora/bbc-news-2004-2005.jsonl.gz``, 5 MB) is replicated until it
reaches ``--mb`` megabytes (UTF-8) and streamed in chunks of ``--chunk-docs`` documents, so peak memory
stays bounded. Both engines see the same texts and the same words: ``liwc`` users split the text
themselves, here with the tokeniser of the ``liwc`` README (``re.findall(r"\w+", text.lower())``), whose
words are checked to equal the engine's (:func:`framing.match.tokenize_normalized`: lower case,
apostrophes and intra-word hyphens as separators) on every document of the corpus. The lexicon is the
union of the shipped lexicons (``blame_frames``, ``blame_cues``, ``actors``; categories prefixed by
lexicon), restricted to single-word and wildcard entries because ``liwc`` has no multi-word support,
exported to a ``.dic`` with :func:`framing.lexicon.save_lexicon`. Counts per text and category are
compared: they must be identical (on those words: LIWC-22 itself keeps apostrophes inside words, so its counts
of a dictionary with ``can`` or ``it`` differ; docs/lexicons.md, "What a word is").

Our figure is the whole pipeline, raw texts to a sparse count matrix (:func:`framing.match.count_matrix`:
normalise, match, resolve overlaps, count), with the default matcher (:data:`framing.match.MATCHER`) and,
on the same chunks, with the pyahocorasick fallback. ``liwc`` is timed on parsing the pre-split words
(lookup only) and end to end (splitting + parsing); both speed-ups are printed. Finally the general route
is timed on the first ``--full-mb`` MB with the complete shipped lexicons (phrases, exclusions): counts
without negated hits (normalisation with hyphen and soft-run handling, negation scopes) and the hits table
with character offsets (:func:`framing.match.match_texts`). Times are CPU times of this process
(``time.process_time``), which other jobs on a shared machine disturb less than wall-clock time.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import resource
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import numpy as np

import framing.match._matcher as fm  # the matcher is looked up there at every scan
from framing.lexicon import Entry, Lexicon, check_lexicon, load_lexicon, save_lexicon
from framing.match import count_matrix, match_texts, tokenize_normalized

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpora" / "bbc-news-2004-2005.jsonl.gz"


def bench_lexicon() -> tuple[Lexicon, int]:
    """The union of the shipped lexicons, single-word and wildcard entries without separators inside.

    Entries keep no exclusions and match in hyphenated compounds too (``compound_tail`` true), as liwc counts.
    """
    entries: list[Entry] = []
    cats: list[str] = []
    for name in ("blame_frames", "blame_cues", "actors"):
        lex = load_lexicon(name)
        cats += [f"{name}.{c}" for c in lex.categories]
        for e in lex.entries:
            if e.kind in ("word", "prefix") and tokenize_normalized(e.pattern.rstrip("*")) == [
                e.pattern.rstrip("*").lower()
            ]:
                # compound_tail=True: liwc counts "fired" in "coal-fired" (it has no such key), so the two count
                # the same words; a head-only entry would also send count_matrix down its general (phrase) route
                entries.append(replace(e, category=f"{name}.{e.category}", exclude=(), compound_tail=True))
    union = Lexicon("bench_union", "1", tuple(cats), tuple(entries))
    # liwc stops at the first wildcard on a word's path, so a word (or longer wildcard) of one category
    # under another category's wildcard is counted differently by design: leave those few entries out.
    conflicts = {(i.category, i.pattern) for i in check_lexicon(union) if i.code == "cross-wildcard"}
    kept = tuple(e for e in entries if (e.category, e.pattern) not in conflicts)
    return replace(union, entries=kept), len(conflicts)


def full_lexicon() -> Lexicon:
    """The union of the shipped lexicons with every entry (phrases, weights, exclusions)."""
    entries: list[Entry] = []
    cats: list[str] = []
    for name in ("blame_frames", "blame_cues", "actors"):
        lex = load_lexicon(name)
        cats += [f"{name}.{c}" for c in lex.categories]
        entries += [replace(e, category=f"{name}.{e.category}") for e in lex.entries]
    return Lexicon("bench_full", "1", tuple(cats), tuple(entries))


def read_texts(path: Path) -> list[str]:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return [json.loads(line)["text"] for line in fh if line.strip()]


def replicated(texts: list[str], target_bytes: int, chunk_docs: int) -> Iterator[list[str]]:
    done = 0
    while done < target_bytes:
        for i in range(0, len(texts), chunk_docs):
            chunk = texts[i:i + chunk_docs]
            yield chunk
            done += sum(len(t.encode("utf-8")) for t in chunk)
            if done >= target_bytes:
                return


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mb", type=float, default=100.0, help="corpus size to reach by replication (MB)")
    ap.add_argument("--chunk-docs", type=int, default=500, help="documents per streamed chunk")
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--full-mb", type=float, default=20.0, help="MB for the general-route figures (0: skip)")
    args = ap.parse_args(argv)
    if not args.corpus.is_file():
        print(f"bench_lexicon: corpus absent ({args.corpus}); nothing measured")
        return 0
    texts = read_texts(args.corpus)
    lex, n_conflicts = bench_lexicon()
    with tempfile.TemporaryDirectory() as tmp:
        dic = Path(tmp) / "bench.dic"
        save_lexicon(lex, dic)
        import liwc

        parse, liwc_cats = liwc.load_token_parser(str(dic))
    cat_index = {c: i for i, c in enumerate(lex.categories)}
    assert set(liwc_cats) == set(lex.categories)
    word_re = re.compile(r"\w+")
    same_words = sum(word_re.findall(t.lower()) == tokenize_normalized(t) for t in texts)
    matcher = fm.MATCHER
    count_matrix(texts[:10], lex)  # compile once (cached), not timed
    t_ours = t_aho = t_liwc = t_tok = 0.0
    n_bytes = n_docs = n_tokens = n_hits = 0
    mismatches = aho_mismatches = 0
    for chunk in replicated(texts, int(args.mb * 1e6), args.chunk_docs):
        t0 = time.process_time()
        ours = count_matrix(chunk, lex)
        t_ours += time.process_time() - t0
        fm.MATCHER = "aho"
        t0 = time.process_time()
        ours_aho = count_matrix(chunk, lex)
        t_aho += time.process_time() - t0
        fm.MATCHER = matcher
        t0 = time.process_time()
        tokens = [word_re.findall(t.lower()) for t in chunk]
        t_tok += time.process_time() - t0
        t0 = time.process_time()
        theirs = np.zeros(ours.shape, dtype=np.int64)
        for i, toks in enumerate(tokens):
            for cat, k in Counter(c for tok in toks for c in parse(tok)).items():
                theirs[i, cat_index[cat]] = k
        t_liwc += time.process_time() - t0
        mismatches += int((ours.toarray() != theirs).any(axis=1).sum())
        aho_mismatches += int((ours.toarray() != ours_aho.toarray()).any(axis=1).sum())
        n_bytes += sum(len(t.encode("utf-8")) for t in chunk)
        n_docs += len(chunk)
        n_tokens += sum(len(t) for t in tokens)
        n_hits += int(ours.sum())
    mb = n_bytes / 1e6
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"corpus: {args.corpus.name} replicated to {mb:.1f} MB ({n_docs} documents, {n_tokens} words)")
    print(f"lexicon: {len(lex.entries)} single-word/wildcard entries in {len(lex.categories)} categories "
          f"({n_conflicts} left out: words under another category's wildcard, which liwc counts differently)")
    print(f"words: liwc README tokeniser = engine's words in {same_words} of {len(texts)} distinct documents")
    print("times are CPU seconds of this process")
    print(f"ours (framing.match.count_matrix, {matcher}): {t_ours:.2f} s, {mb / t_ours:.1f} MB/s, {n_hits} hits")
    print(f"ours with the pyahocorasick fallback: {t_aho:.2f} s, {mb / t_aho:.1f} MB/s "
          f"({'same counts' if aho_mismatches == 0 else f'{aho_mismatches} texts DIFFER'})")
    print(f"liwc {getattr(liwc, '__version__', '?')} (token parser): {t_liwc:.1f} s, {mb / t_liwc:.2f} MB/s lookup "
          f"only; + {t_tok:.1f} s splitting words = {mb / (t_liwc + t_tok):.2f} MB/s end to end")
    print(f"speed-up: {t_liwc / t_ours:.1f}x against liwc's lookup alone, {(t_liwc + t_tok) / t_ours:.1f}x end to end "
          f"(liwc needs the text split into words first); fallback {t_liwc / t_aho:.1f}x / "
          f"{(t_liwc + t_tok) / t_aho:.1f}x  (goal >= 10x)")
    print(f"identical counts (liwc fed \\w+ words, split at apostrophes and hyphens as ours; not LIWC-22's words): "
          f"{'yes' if mismatches == 0 else 'NO'} ({mismatches} of {n_docs} texts differ)")
    print(f"peak memory (max RSS): {peak:.0f} MB")
    if args.full_mb > 0:
        full = full_lexicon()
        count_matrix(texts[:10], full)
        t_neg = t_hits = 0.0
        f_bytes = n_rows = 0
        for chunk in replicated(texts, int(args.full_mb * 1e6), args.chunk_docs):
            t0 = time.process_time()
            count_matrix(chunk, full, include_negated=False)
            t_neg += time.process_time() - t0
            t0 = time.process_time()
            n_rows += len(match_texts(chunk, full))
            t_hits += time.process_time() - t0
            f_bytes += sum(len(t.encode("utf-8")) for t in chunk)
        fmb = f_bytes / 1e6
        print(f"general route, {fmb:.1f} MB, all {len(full.entries)} shipped entries (phrases, exclusions): "
              f"counts without negated hits {fmb / t_neg:.1f} MB/s; hits table with offsets "
              f"(match_texts, {n_rows} rows) {fmb / t_hits:.1f} MB/s")
    return 0 if mismatches == 0 and aho_mismatches == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
