r"""``count_matrix`` against ``liwc`` on word lookup, and against an earlier revision, back to back (issue 10).

Run: ``python -m benchmarks count [--mb 20] [--repeat 5] [--before REV]``.

The BBC News corpus is replicated to ``--mb`` MB and counted in calls of 500 documents (as the whole-path
benchmark's liwc row does) with the single-word/wildcard union of the shipped lexicons
(:func:`benchmarks.bench_lexicon.bench_lexicon`). Engines, each timed in its own child process (CPU seconds
of the timed loop only, ``time.process_time``; loading, replicating and compiling are not timed):

* ``liwc``: the ``liwc`` package's token parser over the words of the liwc README tokeniser
  (``re.findall(r"\w+", text.lower())``, not timed): lookup only;
* ``ours``: :func:`framing.match.count_matrix` of this checkout;
* ``before`` (with ``--before REV``): the same call in the package as it was at git revision ``REV`` (its
  ``src/`` exported with ``git archive`` to a temporary folder, put first on ``PYTHONPATH``);
* ``floor`` and ``scan`` (with ``--floor``): the texts encoded and laid out as the raw route does
  (:func:`framing.match._words.joined_view`) and the raw route's Hyperscan database
  scanned with a Python callback that does nothing (the binding calls it once per hit), and the scan alone
  without a callback: what no route through this binding can beat; ``record``: the same scan with the route's
  own callback (each hit's pattern and position appended to a list, then turned into numpy arrays), so that
  ``ours - record`` is what the route does after the scan.

The engines run ``--repeat`` times in rotating order, so a busy spell on the shared machine hits each of them;
the figures are medians. Each child returns a digest of its counts (one ``int64`` row per text, categories in
the lexicon's order): the counts must be identical across engines. "Identical" means: on the same words, those
of ``\w+``, which split at apostrophes, hyphens and all punctuation as :func:`framing.match.count_matrix` does; it
is not a claim about LIWC-22, which keeps apostrophes inside words (``can't`` is one word there, ``can t`` here;
docs/lexicons.md, "What a word is"). Results go to
``benchmarks/results/count.csv`` and ``count.md`` (``--no-write``: print only).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import subprocess
import sys
import tarfile
import tempfile
import time
from collections import Counter
from io import BytesIO
from pathlib import Path
from statistics import median
from typing import Any

import numpy as np

from benchmarks.bench_lexicon import CORPUS, bench_lexicon, read_texts, replicated

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
CHUNK_DOCS = 500


def _chunks(mb: float) -> list[list[str]]:
    return list(replicated(read_texts(CORPUS), int(mb * 1e6), CHUNK_DOCS))


def _digest(rows: list[np.ndarray]) -> str:
    h = hashlib.sha256()
    for r in rows:
        h.update(np.ascontiguousarray(r, dtype=np.int64).tobytes())
    return h.hexdigest()[:16]


def run_ours(mb: float) -> dict[str, Any]:
    import framing
    from framing.match import count_matrix

    lex, _ = bench_lexicon()
    chunks = _chunks(mb)
    count_matrix(chunks[0][:10], lex)  # compile (cached), not timed
    c0 = time.process_time()
    out = [count_matrix(chunk, lex) for chunk in chunks]
    cpu = time.process_time() - c0
    return {"cpu": cpu, "digest": _digest([m.toarray() for m in out]), "source": str(Path(framing.__file__).parent)}


def run_liwc(mb: float) -> dict[str, Any]:
    import liwc

    from framing.lexicon import save_lexicon

    lex, _ = bench_lexicon()
    with tempfile.TemporaryDirectory() as tmp:
        dic = Path(tmp) / "bench.dic"
        save_lexicon(lex, dic)
        parse, _cats = liwc.load_token_parser(str(dic))
    word_re = re.compile(r"\w+")
    chunks = _chunks(mb)
    words = [[word_re.findall(t.lower()) for t in chunk] for chunk in chunks]
    c0 = time.process_time()
    counted = [[Counter(c for tok in toks for c in parse(tok)) for toks in chunk] for chunk in words]
    cpu = time.process_time() - c0
    index = {c: i for i, c in enumerate(lex.categories)}
    rows = []
    for chunk in counted:
        m = np.zeros((len(chunk), len(index)), dtype=np.int64)
        for i, cnt in enumerate(chunk):
            for cat, k in cnt.items():
                m[i, index[cat]] = k
        rows.append(m)
    return {"cpu": cpu, "digest": _digest(rows), "source": f"liwc {getattr(liwc, '__version__', '?')}"}


def run_floor(mb: float, *, callback: bool = True, record: bool = False) -> dict[str, Any]:
    """What no counting route can go under with the Hyperscan binding: the texts encoded and laid out, and one
    scan of the raw-route database with a Python callback that does nothing (``callback=False``: no callback,
    Hyperscan alone; ``record=True``: the route's own callback, recording the hits in numpy arrays)."""
    from framing.match import compile_lexicon
    from framing.match._matcher import _scan_database
    from framing.match._words import joined_view, raw_route

    lex, _ = bench_lexicon()
    route = raw_route(compile_lexicon(lex))
    assert route is not None, "the raw route needs hyperscan"
    database = route.database
    chunks = _chunks(mb)

    def nothing(slot: int, start: int, end: int, flags: int, context: object) -> None:
        return None

    handler = nothing if callback else None
    c0 = time.process_time()
    for chunk in chunks:
        with joined_view(list(map(str.encode, chunk))) as (raw, _starts):
            if record:
                _scan_database(database, raw)
            else:
                database.scan(raw, match_event_handler=handler)
    what = " + recording callback" if record else " + no-op callback" if callback else " (no callback)"
    return {"cpu": time.process_time() - c0, "digest": "", "source": "encode + layout + scan" + what}


def run_scan_only(mb: float) -> dict[str, Any]:
    return run_floor(mb, callback=False)


def run_record(mb: float) -> dict[str, Any]:
    return run_floor(mb, record=True)


ENGINES = {"ours": run_ours, "before": run_ours, "liwc": run_liwc, "floor": run_floor, "scan": run_scan_only,
           "record": run_record}


def export_revision(rev: str, dest: Path) -> Path:
    """``src/`` of git revision ``rev`` unpacked under ``dest``; returns the folder to put on ``PYTHONPATH``."""
    archive = subprocess.run(["git", "archive", rev, "src"], cwd=ROOT, capture_output=True, check=True).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(dest, filter="data")
    return dest / "src"


def in_child(engine: str, mb: float, src: Path | None) -> dict[str, Any]:
    env = dict(os.environ)
    if src is not None:
        env["PYTHONPATH"] = os.pathsep.join([str(src), str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    cmd = [sys.executable, "-W", "ignore", "-m", "benchmarks.bench_count", "--engine", engine, "--mb", str(mb)]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False, env=env)
    for line in proc.stdout.splitlines():
        if line.startswith("RESULT "):
            return dict(json.loads(line[len("RESULT "):]))
    raise RuntimeError(f"bench_count child {engine!r} failed: {proc.stderr.strip()[-2000:]}")


def report(rows: list[dict[str, Any]], summary: list[str], command: str) -> tuple[Path, Path]:
    import pandas as pd

    from benchmarks.bench_pipeline import results_head, versions
    from framing.io import atomic_write_text, write_csv

    RESULTS.mkdir(parents=True, exist_ok=True)
    csv_path = write_csv(pd.DataFrame(rows), RESULTS / "count.csv")
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    lines = [*results_head("count_matrix against liwc and an earlier revision (issue 10)", command,
                           ", ".join(f"{k} {v}" for k, v in versions(None).items() if k != "spacy"), load),
             "| repetition | engine | source | MB | CPU s | MB/s | counts digest |",
             "| ---: | --- | --- | ---: | ---: | ---: | --- |"]
    lines += [f"| {r['repetition']} | {r['engine']} | {r['source']} | {r['mb']:.1f} | {r['cpu']:.3f} | "
              f"{r['mb_s']:.1f} | {r['digest']} |" for r in rows]
    lines += ["", *[s + "  " for s in summary]]
    md_path = RESULTS / "count.md"
    atomic_write_text(md_path, "\n".join(lines) + "\n")
    return Path(csv_path), md_path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mb", type=float, default=20.0, help="MB of BBC News text, replicated (default 20)")
    ap.add_argument("--repeat", type=int, default=5, help="repetitions of each engine (default 5)")
    ap.add_argument("--before", metavar="REV", help="also time count_matrix as it was at this git revision")
    ap.add_argument("--floor", action="store_true",
                    help="also time the floor: encode, lay out and scan with a no-op callback, the scan alone, and "
                         "the scan with the route's recording callback")
    ap.add_argument("--no-write", action="store_true", help="print only; do not write benchmarks/results/")
    ap.add_argument("--engine", choices=sorted(ENGINES), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.engine:
        print("RESULT " + json.dumps(ENGINES[args.engine](args.mb)))
        return 0
    if not CORPUS.is_file():
        print(f"bench_count: corpus absent ({CORPUS}); nothing measured")
        return 0
    mb = sum(len(t.encode("utf-8")) for chunk in _chunks(args.mb) for t in chunk) / 1e6
    engines = ["liwc", "ours", *(["before"] if args.before else [])]
    engines += ["floor", "scan", "record"] if args.floor else []
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="bench_count_") as tmp:
        src = export_revision(args.before, Path(tmp)) if args.before else None
        for rep in range(args.repeat):
            order = engines[rep % len(engines):] + engines[:rep % len(engines)]
            for engine in order:
                res = in_child(engine, args.mb, src if engine == "before" else None)
                if engine == "before":
                    res["source"] = f"git {args.before}"
                elif engine == "ours":
                    res["source"] = "this checkout"
                res.setdefault("digest", "")
                rows.append({"repetition": rep + 1, "engine": engine, "mb": mb, "mb_s": mb / res["cpu"], **res})
                print(f"{rep + 1} {engine}: {res['cpu']:.3f} CPU s, {mb / res['cpu']:.1f} MB/s ({res['source']})",
                      flush=True)
    med = {e: median(r["cpu"] for r in rows if r["engine"] == e) for e in engines}
    digests = {r["digest"] for r in rows if r["digest"]}
    summary = [f"corpus: BBC News replicated to {mb:.1f} MB, calls of {CHUNK_DOCS} documents; "
               f"medians of {args.repeat} repetitions, CPU seconds",
               *(f"{e}: {med[e]:.3f} s, {mb / med[e]:.1f} MB/s" for e in engines),
               f"count_matrix / liwc lookup: {med['liwc'] / med['ours']:.1f}x (goal >= 25x)"]
    if args.before:
        summary += [f"count_matrix at {args.before} / liwc lookup: {med['liwc'] / med['before']:.1f}x",
                    f"speed-up over {args.before}: {med['before'] / med['ours']:.2f}x"]
    if args.floor:
        summary += [f"floor (no counting route can go under it with this binding): liwc / floor "
                    f"{med['liwc'] / med['floor']:.1f}x; liwc / Hyperscan scan alone {med['liwc'] / med['scan']:.1f}x",
                    "per MB (differences of medians): " + ", ".join(
                        f"{name} {1e3 * (med[a] - (med[b] if b else 0.0)) / mb:.2f} ms" for name, a, b in (
                            ("encode + layout + scan", "scan", ""), ("the binding's per-hit call", "floor", "scan"),
                            ("recording the hits", "record", "floor"), ("after the scan", "ours", "record")))]
    summary.append(f"identical counts across engines and repetitions (liwc fed \\w+ words, split at apostrophes "
                   f"and hyphens as ours; not LIWC-22's words): {'yes' if len(digests) == 1 else 'NO'}")
    print("\n".join(summary))
    if not args.no_write:
        command = "python -m benchmarks count " + " ".join(argv if argv is not None else sys.argv[1:])
        csv_path, md_path = report(rows, summary, command.strip())
        print(f"results: {csv_path}, {md_path}")
    return 0 if len(digests) == 1 else 1


if __name__ == "__main__":
    sys.exit(main())
