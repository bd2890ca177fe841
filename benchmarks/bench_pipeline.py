r"""The whole path, corpus file to frame table, against spaCy's blank pipeline and ``liwc`` (issue 10).

Run: ``python -m benchmarks pipeline [--mb 100] [--large] [--peer-mb 20]`` (also ``make bench``).

The BBC News corpus (``../shared/corpora/bbc-news-2004-2005.jsonl.gz``, 5 MB) is replicated (ids made
unique per copy) into JSONL partitions of ``--part-mb`` MB in a temporary folder until it reaches ``--mb`` MB
(``--large``: 1,000 MB). Each engine runs in a child process of its own, so its peak memory (max RSS) is
its own, and is timed in CPU seconds of that process (``time.process_time``: MB/s per core) and in wall time:

* **framing**: for each partition, the whole path of ``framing frames``: :func:`framing.corpus.load_corpus`
  (read and check), :func:`framing.corpus.process_corpus` (clean, paragraphs, sentences, tokens),
  :func:`framing.scoring.frame_table` (blame frames with the shipped lexicons, hits with offsets and
  negation, the default ``coder`` rule) and :func:`framing.io.write_csv`. Imports and the lexicon
  compilation come before the clock.
* **framing any**: the same path with ``frame_table(..., rule="any")``: hits with offsets and negation and the
  counts, without the coder rule (persons, reporting clauses, context: compiled patterns over the sentences),
  which is the part of the path that has no counterpart in the spaCy row.
* **framing before**: the same path with the preparation it replaced (a Python loop over documents,
  paragraphs and sentences calling NLTK Punkt: ``tests/frozen_segment.py``), on the first ``--peer-mb`` MB.
* **spaCy blank** (when installed): ``spacy.blank("en")`` with the ``sentencizer`` and a ``PhraseMatcher``
  (``attr="LOWER"``) over the literal entries (words and phrases; spaCy has no wildcards) of the same two
  lexicons, over the same documents loaded the same way; one CSV row per sentence with its offsets and hit
  counts per category. spaCy is not a dependency of the toolkit: ``pip install -c requirements.lock spacy``
  to add this row; without it the row is skipped with that hint. It runs on the first ``--peer-mb`` MB of the
  same partitions (a rate does not depend on the size; the full size would take spaCy hours at 1 GB).
* **liwc** (``liwc`` package, dev dependency): word lookup with its token parser over the words of the liwc
  README's tokeniser, against :func:`framing.match.count_matrix` on the same single-word/wildcard lexicon
  (``benchmarks.bench_lexicon.bench_lexicon``), on the first ``--peer-mb`` MB.

Before timing, the sentence boundaries and counts of :func:`framing.corpus.process_corpus` are compared with
the frozen per-paragraph NLTK Punkt implementation of ``tests/frozen_segment.py`` (today's implementation
before the vectorised path) on the seeds and on every BBC document: they must be identical.

Results: ``benchmarks/results/pipeline.csv`` and ``pipeline.md`` (machine, versions, command, figures);
``pipeline-large.*`` for ``--large``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpora" / "bbc-news-2004-2005.jsonl.gz"
RESULTS = ROOT / "benchmarks" / "results"
SPACY_HINT = "pip install -c requirements.lock spacy   (not a dependency of framing; only for this row)"


def read_bbc(path: Path) -> list[dict[str, str]]:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh if line.strip()]
    return [{"doc_id": r["id"].replace("/", "_"), "genre": r["category"], "text": r["text"]} for r in rows]


def write_partitions(rows: list[dict[str, str]], folder: Path, total_mb: float, part_mb: float) -> list[Path]:
    """JSONL files of about ``part_mb`` MB each, the corpus replicated until ``total_mb`` MB."""
    parts: list[Path] = []
    done = 0
    copy = 0
    fh = None
    size = 0
    while done < total_mb * 1e6:
        for r in rows:
            if fh is None or size >= part_mb * 1e6:
                if fh is not None:
                    fh.close()
                parts.append(folder / f"part-{len(parts):04d}.jsonl")
                fh = parts[-1].open("w", encoding="utf-8")
                size = 0
            line = json.dumps({**r, "doc_id": f"{r['doc_id']}_c{copy}"}, ensure_ascii=False) + "\n"
            fh.write(line)
            n = len(r["text"].encode("utf-8"))
            size += n
            done += n
            if done >= total_mb * 1e6:
                break
        copy += 1
    if fh is not None:
        fh.close()
    return parts


def text_mb(paths: list[Path]) -> float:
    total = 0
    for p in paths:
        with p.open(encoding="utf-8") as fh:
            total += sum(len(json.loads(line)["text"].encode("utf-8")) for line in fh)
    return total / 1e6


def upto(parts: list[Path], mb: float) -> list[Path]:
    out: list[Path] = []
    for p in parts:
        out.append(p)
        if text_mb(out) >= mb:
            break
    return out


# --- engines (each runs in a child process: ``--engine NAME --parts FILE...``) --------------------------


def run_framing(parts: list[Path], out: Path, rule: str = "coder") -> dict[str, Any]:
    from framing.corpus import load_corpus, process_corpus
    from framing.io import write_csv
    from framing.match import compile_lexicon
    from framing.scoring import frame_table

    compile_lexicon("blame_frames")
    compile_lexicon("blame_cues")
    n_docs = n_sents = 0
    stages = dict.fromkeys(("load", "prepare", "frames", "write"), 0.0)
    c0, w0 = time.process_time(), time.perf_counter()
    for i, part in enumerate(parts):
        t = time.process_time()
        corpus = load_corpus(part)
        stages["load"] += time.process_time() - t
        t = time.process_time()
        processed = process_corpus(corpus)
        stages["prepare"] += time.process_time() - t
        t = time.process_time()
        table = frame_table(processed, rule=rule)
        stages["frames"] += time.process_time() - t
        t = time.process_time()
        write_csv(table, out / f"framing-{i:04d}.csv")
        stages["write"] += time.process_time() - t
        n_docs += len(processed.documents)
        n_sents += len(table)
    note = "CPU s by stage: " + ", ".join(f"{k} {v:.2f}" for k, v in stages.items())
    return {"cpu": time.process_time() - c0, "wall": time.perf_counter() - w0, "docs": n_docs, "sentences": n_sents,
            "note": note}


def run_framing_before(parts: list[Path], out: Path) -> dict[str, Any]:
    """The same path with the preparation as it was: a Python loop over documents, paragraphs and sentences
    calling NLTK Punkt (the frozen copy in ``tests/frozen_segment.py``), rows appended one by one."""
    import pandas as pd

    sys.path.insert(0, str(ROOT / "tests"))
    from frozen_segment import count_tokens, iter_sentence_spans

    from framing.clean import find_boilerplate, load_rules, mask_spans
    from framing.corpus import load_corpus
    from framing.io import write_csv
    from framing.match import compile_lexicon
    from framing.scoring import frame_table

    compile_lexicon("blame_frames")
    compile_lexicon("blame_cues")
    rules = load_rules()
    n_docs = n_sents = 0
    c0, w0 = time.process_time(), time.perf_counter()
    for i, part in enumerate(parts):
        docs = load_corpus(part).documents
        rows: list[tuple[Any, ...]] = []
        for doc_id, text in zip(docs["doc_id"], docs["text"], strict=True):
            masked = mask_spans(text, find_boilerplate(text, rules))
            sent_id = 0
            for para_id, _, spans in iter_sentence_spans(masked):
                for s, e in spans:
                    rows.append((doc_id, sent_id, para_id, s, e, text[s:e], count_tokens(text[s:e])))
                    sent_id += 1
        sentences = pd.DataFrame(rows, columns=["doc_id", "sent_id", "para_id", "start", "end", "text", "n_tokens"])
        table = frame_table(sentences)
        write_csv(table, out / f"before-{i:04d}.csv")
        n_docs += len(docs)
        n_sents += len(table)
    return {"cpu": time.process_time() - c0, "wall": time.perf_counter() - w0, "docs": n_docs, "sentences": n_sents}


def literal_entries() -> dict[str, list[str]]:
    from framing.lexicon import load_lexicon

    out: dict[str, list[str]] = {}
    for name in ("blame_frames", "blame_cues"):
        for e in load_lexicon(name).entries:
            if e.kind in ("word", "phrase"):
                out.setdefault(f"{name}.{e.category}", []).append(e.pattern)
    return out


def run_spacy(parts: list[Path], out: Path) -> dict[str, Any]:
    import numpy as np
    import pandas as pd
    import spacy
    from spacy.matcher import PhraseMatcher

    from framing.corpus import load_corpus

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    cats = literal_entries()
    for cat, terms in cats.items():
        matcher.add(cat, [nlp.make_doc(t) for t in terms])
    names = list(cats)
    label = {nlp.vocab.strings[c]: i for i, c in enumerate(names)}
    n_docs = n_sents = 0
    c0, w0 = time.process_time(), time.perf_counter()
    for i, part in enumerate(parts):
        docs = load_corpus(part).documents
        rows: list[tuple[Any, ...]] = []
        for doc_id, doc in zip(docs["doc_id"], nlp.pipe(docs["text"], batch_size=64), strict=True):
            sents = list(doc.sents)
            starts = np.array([s.start for s in sents])
            counts = np.zeros((len(sents), len(names)), dtype=np.int64)
            for match_id, start, _end in matcher(doc):
                counts[np.searchsorted(starts, start, side="right") - 1, label[match_id]] += 1
            for j, s in enumerate(sents):
                rows.append((doc_id, j, s.start_char, s.end_char, *counts[j].tolist()))
        table = pd.DataFrame(rows, columns=["doc_id", "sent_id", "start", "end", *names])
        table.to_csv(out / f"spacy-{i:04d}.csv", index=False)
        n_docs += len(docs)
        n_sents += len(table)
    return {"cpu": time.process_time() - c0, "wall": time.perf_counter() - w0, "docs": n_docs, "sentences": n_sents,
            "version": spacy.__version__}


def run_liwc(parts: list[Path], out: Path) -> dict[str, Any]:
    import re
    from collections import Counter

    import liwc

    from benchmarks.bench_lexicon import bench_lexicon
    from framing.corpus import load_corpus
    from framing.lexicon import save_lexicon
    from framing.match import count_matrix

    lex, _ = bench_lexicon()
    dic = out / "bench.dic"
    save_lexicon(lex, dic)
    parse, _cats = liwc.load_token_parser(str(dic))
    word_re = re.compile(r"\w+")
    texts = [t for p in parts for t in load_corpus(p).documents["text"].tolist()]
    count_matrix(texts[:10], lex)
    c0 = time.process_time()
    for i in range(0, len(texts), 500):
        count_matrix(texts[i:i + 500], lex)
    ours = time.process_time() - c0
    words = [word_re.findall(t.lower()) for t in texts]
    c0 = time.process_time()
    for toks in words:
        Counter(c for tok in toks for c in parse(tok))
    theirs = time.process_time() - c0
    return {"cpu": theirs, "wall": theirs, "ours_cpu": ours, "docs": len(texts), "sentences": 0,
            "version": getattr(liwc, "__version__", "?")}


def run_framing_any(parts: list[Path], out: Path) -> dict[str, Any]:
    """The whole path with ``rule="any"``: hits with offsets and negation, counts, no coder rule (its persons,
    reporting clauses and context rules: the closest to what the spaCy row does)."""
    return run_framing(parts, out, rule="any")


ENGINES = {"framing": run_framing, "framing_any": run_framing_any, "framing_before": run_framing_before,
           "spacy": run_spacy, "liwc": run_liwc}


def peak_mb() -> float:
    """This process's peak resident memory: VmHWM (ru_maxrss would include the parent's, kept across exec)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(engine: str, parts: list[Path], out: Path) -> int:
    result = ENGINES[engine](parts, out)
    result["peak_mb"] = peak_mb()
    print("RESULT " + json.dumps(result))
    return 0


def in_child(engine: str, parts: list[Path], out: Path) -> dict[str, Any] | str:
    cmd = [sys.executable, "-m", "benchmarks.bench_pipeline", "--engine", engine, "--out", str(out),
           "--parts", *map(str, parts)]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)
    for line in proc.stdout.splitlines():
        if line.startswith("RESULT "):
            return dict(json.loads(line[len("RESULT "):]))
    return (proc.stderr.strip().splitlines() or ["no output"])[-1]


# --- identical sentences ---------------------------------------------------------------------------------


def same_sentences(rows: list[dict[str, str]]) -> list[tuple[str, int, int, bool]]:
    """(corpus, sentences now, sentences by the frozen implementation, identical spans and token counts)."""
    import pandas as pd

    sys.path.insert(0, str(ROOT / "tests"))
    from frozen_segment import count_tokens, iter_sentence_spans

    from framing.clean import find_boilerplate, load_rules, mask_spans
    from framing.corpus import Corpus, load_corpus, process_corpus

    rules = load_rules()
    out = []
    bbc = pd.DataFrame(rows)
    for name, corpus in (("seeds", load_corpus(ROOT / "data" / "raw")),
                         ("bbc", Corpus(bbc, "bbc", CORPUS))):
        now = process_corpus(corpus).sentences
        want = []
        for doc_id, text in zip(corpus.documents["doc_id"], corpus.documents["text"], strict=True):
            masked = mask_spans(text, find_boilerplate(text, rules))
            for _, _, spans in iter_sentence_spans(masked):
                want += [(doc_id, s, e, count_tokens(text[s:e])) for s, e in spans]
        got = list(zip(now["doc_id"], now["start"], now["end"], now["n_tokens"], strict=True))
        out.append((name, len(got), len(want), got == want))
    return out


def versions(spacy_version: str | None) -> dict[str, str]:
    import importlib.metadata as md

    out = {"python": platform.python_version()}
    for pkg in ("framing", "numpy", "pandas", "pyarrow", "nltk", "hyperscan", "liwc"):
        try:
            out[pkg] = md.version(pkg)
        except md.PackageNotFoundError:
            out[pkg] = "absent"
    out["spacy"] = spacy_version or "absent"
    return out


def machine() -> dict[str, str]:
    cpu = platform.processor() or "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "?"
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f"{kb / 1e6:.0f} GB"
    except (OSError, ValueError, IndexError):
        pass
    return {"platform": platform.platform(), "cpu": cpu, "cores": str(os.cpu_count()), "memory": mem}


def results_head(title: str, command: str, versions: str, load: str | None = None) -> list[str]:
    """The opening lines of a results Markdown file: title, command, date, machine (and load), versions."""
    return [f"# {title}", "", f"Command: `{command}`  ", f"Date (UTC): {datetime.now(UTC):%Y-%m-%d %H:%M}  ",
            "Machine: " + ", ".join(f"{k} {v}" for k, v in machine().items())
            + (f", load average {load}  " if load is not None else "  "),
            f"Versions: {versions}", ""]


def report(results: list[dict[str, Any]], checks: list[tuple[str, int, int, bool]], args: argparse.Namespace,
           command: str) -> tuple[Path, Path]:
    import pandas as pd

    from framing.io import atomic_write_text, write_csv

    RESULTS.mkdir(parents=True, exist_ok=True)
    df = pd.DataFrame(results)
    stem = "pipeline-large" if args.large else "pipeline"
    csv_path = write_csv(df, RESULTS / f"{stem}.csv")
    spacy_v = next((r.get("version") for r in results if r["engine"] == "spacy" and r.get("version")), None)
    lines = [*results_head("Whole-path benchmark (issue 10)", command,
                           ", ".join(f"{k} {v}" for k, v in versions(spacy_v).items())),
             "| engine | what | MB | documents | sentences | CPU s | MB/s per core | wall s | peak RSS MB | note |",
             "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"]
    nan = float("nan")
    for r in results:
        lines.append(f"| {r['engine']} | {r['what']} | {r.get('mb', 0):.1f} | {r.get('docs', '')} | "
                     f"{r.get('sentences', '')} | {r.get('cpu', nan):.2f} | {r.get('mb_s', nan):.2f} | "
                     f"{r.get('wall', nan):.2f} | {r.get('peak_mb', nan):.0f} | {r.get('note', '')} |")
    lines += ["", "Sentence boundaries and counts against the frozen per-paragraph Punkt implementation:", ""]
    lines += [f"* {name}: {got} sentences now, {want} before: {'identical' if same else 'DIFFERENT'}"
              for name, got, want, same in checks]
    ratios = {r["engine"]: r.get("mb_s") for r in results}
    lines += [""]
    if ratios.get("framing_before"):
        lines.append(f"framing / framing before (per-paragraph Punkt preparation): "
                     f"{ratios['framing'] / ratios['framing_before']:.1f}x per core  ")
    if ratios.get("spacy"):
        lines.append(f"framing / spaCy blank: {ratios['framing'] / ratios['spacy']:.1f}x per core (goal >= 10x)  ")
        if ratios.get("framing_any"):
            lines.append(f"framing with rule='any' / spaCy blank: {ratios['framing_any'] / ratios['spacy']:.1f}x "
                         "per core  ")
    liwc_row = next((r for r in results if r["engine"] == "liwc" and r.get("mb_s")), None)
    if liwc_row:
        lines.append(f"framing.match.count_matrix / liwc lookup: {liwc_row['ours_cpu_ratio']:.1f}x (goal >= 25x)")
    md_path = RESULTS / f"{stem}.md"
    atomic_write_text(md_path, "\n".join(lines) + "\n")
    return Path(csv_path), md_path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mb", type=float, default=100.0, help="corpus size for framing (MB of text; default 100)")
    ap.add_argument("--large", action="store_true", help="1,000 MB instead of --mb")
    ap.add_argument("--peer-mb", type=float, default=20.0, help="MB for the spaCy and liwc rows (default 20)")
    ap.add_argument("--part-mb", type=float, default=25.0, help="MB per JSONL partition (default 25)")
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--no-write", action="store_true", help="print only; do not write benchmarks/results/")
    ap.add_argument("--engine", choices=sorted(ENGINES), help=argparse.SUPPRESS)
    ap.add_argument("--parts", nargs="*", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.engine:
        return child(args.engine, list(args.parts or []), args.out)
    if not args.corpus.is_file():
        print(f"bench_pipeline: corpus absent ({args.corpus}); nothing measured")
        return 0
    total = 1000.0 if args.large else args.mb
    rows = read_bbc(args.corpus)
    checks = same_sentences(rows)
    for name, got, want, same in checks:
        print(f"sentences, {name}: {got} now, {want} with the frozen Punkt implementation: "
              f"{'identical' if same else 'DIFFERENT'}")
    results: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="bench_pipeline_") as tmp:
        folder = Path(tmp)
        parts = write_partitions(rows, folder, total, args.part_mb)
        peer = upto(parts, args.peer_mb)
        runs: list[tuple[str, list[Path], str]] = [
            ("framing", parts, "load, clean, segment, frames (hits, negation, coder rule), write CSV"),
            ("framing_any", parts, "the same with rule='any' (hits, negation, counts; no coder rule)"),
            ("framing_before", peer, "the same with the per-paragraph Punkt preparation it replaced"),
            ("spacy", peer, "load, blank('en') + sentencizer + PhraseMatcher (literal entries), write CSV"),
            ("liwc", peer, "word lookup (token parser) on pre-split words"),
        ]
        for engine, files, what in runs:
            mb = text_mb(files)
            res = in_child(engine, files, folder)
            if isinstance(res, str):
                note = SPACY_HINT if engine == "spacy" else res
                print(f"{engine}: skipped ({res}); {note}")
                results.append({"engine": engine, "what": what, "mb": mb, "note": f"skipped: {note}"})
                continue
            res.update(engine=engine, what=what, mb=mb, mb_s=mb / res["cpu"])
            if engine == "liwc":
                res["ours_cpu_ratio"] = res["cpu"] / res["ours_cpu"]
                res["note"] = (f"framing.match.count_matrix on the same lexicon: {mb / res['ours_cpu']:.1f} MB/s, "
                               f"{res['ours_cpu_ratio']:.1f}x")
            results.append(res)
            print(f"{engine}: {mb:.1f} MB, {res['docs']} documents, {res['sentences']} sentences, "
                  f"{res['cpu']:.2f} CPU s = {res['mb_s']:.2f} MB/s per core, wall {res['wall']:.2f} s, "
                  f"peak {res['peak_mb']:.0f} MB {res.get('note', '')}")
    by = {r["engine"]: r for r in results}
    if by.get("framing_before", {}).get("mb_s"):
        print(f"framing / framing before: {by['framing']['mb_s'] / by['framing_before']['mb_s']:.1f}x per core")
    if by.get("spacy", {}).get("mb_s"):
        print(f"framing / spaCy blank: {by['framing']['mb_s'] / by['spacy']['mb_s']:.1f}x per core (goal >= 10x)")
        if by.get("framing_any", {}).get("mb_s"):
            print(f"framing rule='any' / spaCy blank: {by['framing_any']['mb_s'] / by['spacy']['mb_s']:.1f}x per core")
    if by.get("liwc", {}).get("mb_s"):
        print(f"count_matrix / liwc lookup: {by['liwc']['ours_cpu_ratio']:.1f}x (goal >= 25x)")
    if not args.no_write:
        command = "python -m benchmarks pipeline " + " ".join(argv if argv is not None else sys.argv[1:])
        csv_path, md_path = report(results, checks, args, command.strip())
        print(f"results: {csv_path}, {md_path}")
    return 0 if all(same for *_, same in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
