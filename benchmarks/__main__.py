"""Run benchmarks: ``python -m benchmarks`` runs every ``bench_*.py``; ``python -m benchmarks NAME [ARGS]``
runs ``bench_NAME.py`` with ARGS. Each script prints its own figures; the exit status is the worst one.
``python -m benchmarks faults`` runs the fault-injection checks (``faults.py``) and
``python -m benchmarks corrections`` the check of shares corrected by a coded sample (``corrections.py``); both
on demand only, never part of the plain ``python -m benchmarks``. ``python -m benchmarks readme [--check]``
regenerates the README's performance table from ``benchmarks/results/`` (``readme_table.py``); every benchmark
run does it at the end, so the table never lags behind the results it is built from."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

ON_DEMAND = ("faults", "corrections", "readme")
_MODULES = {"readme": "readme_table"}


def main(argv: list[str]) -> int:
    here = Path(__file__).resolve().parent
    names = sorted(p.stem[len("bench_"):] for p in here.glob("bench_*.py"))
    if argv and argv[0] in ON_DEMAND:
        module = importlib.import_module(f"benchmarks.{_MODULES.get(argv[0], argv[0])}")
        return int(module.main(argv[1:]) or 0)
    if argv and argv[0] in ("-h", "--help"):
        print(__doc__)
        print("available:", ", ".join(names), "| on demand:", ", ".join(ON_DEMAND))
        return 0
    if argv:
        name, rest = argv[0].removeprefix("bench_"), argv[1:]
        if name not in names:
            print(f"benchmarks: no benchmark {argv[0]!r}; available: {', '.join(names)}", file=sys.stderr)
            return 2
        todo = [(name, rest)]
    else:
        todo = [(n, []) for n in names]
    status = 0
    for name, args in todo:
        print(f"== bench_{name}")
        module = importlib.import_module(f"benchmarks.bench_{name}")
        status = max(status, int(module.main(args) or 0))
    if (results := here / "results").is_dir() and any(results.glob("*.csv")):
        from benchmarks import readme_table

        readme_table.main([])
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
