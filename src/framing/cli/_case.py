"""``framing case``: check, list and draft case files (issue 9); a thin shell over :mod:`framing.cases`."""

from __future__ import annotations

import argparse

from framing.cli._common import SubParsers, _add_corpus_args, _check_out, _processed_from_args
from framing.types import DEFAULT_ACTORS_LEXICON


def _cmd_case_check(args: argparse.Namespace) -> int:
    from framing.cases import check_case

    issues = check_case(args.file, base=None if args.no_base else args.base)
    for issue in issues:
        print(issue)
    n_err = sum(i.level == "error" for i in issues)
    print(f"framing: {args.file}: {n_err} error(s), {len(issues) - n_err} warning(s)")
    return 1 if n_err else 0


def _cmd_case_list(args: argparse.Namespace) -> int:
    from framing.cases import list_cases, load_case

    for name in list_cases():
        case = load_case(name)
        print(f"{name}\t{case.version}\t{len(case.entries)} entries\t{case.description}")
    return 0


def _cmd_case_draft(args: argparse.Namespace) -> int:
    from framing.case_draft import draft_case, write_case_draft

    _check_out(args)
    processed = _processed_from_args(args)
    entries = draft_case(processed, min_count=args.min_count, max_entries=args.max_entries)
    write_case_draft(entries, args.out, case_name=args.case_name or f"{processed.name}_draft",
                     source=f"the corpus {processed.name!r}", force=args.force)
    left = int(entries["review"].astype(bool).sum())
    more = f" and {left} commented out for review" if left else ""
    print(f"framing: {len(entries) - left} draft entries{more} -> {args.out} (a DRAFT: review every actor and frame "
          f"against the codebook, then framing case check {args.out})")
    return 0


def _add_case(sub: SubParsers) -> None:
    p = sub.add_parser("case", help="check, list or draft case files (the people and organisations of one case)")
    csub = p.add_subparsers(dest="case_command", metavar="ACTION", required=True)
    k = csub.add_parser("check", help="report malformed entries, duplicates and entries that cannot match "
                                      "as FILE:LINE: message (exit 1 on errors)")
    k.add_argument("file", help="a case file (.yaml) or the name of a shipped case")
    k.add_argument("--base", default=DEFAULT_ACTORS_LEXICON,
                   help=f"case-independent actor lexicon to compare with (default: {DEFAULT_ACTORS_LEXICON})")
    k.add_argument("--no-base", action="store_true", help="do not compare with an actor lexicon")
    k.set_defaults(handler=_cmd_case_check)
    ls = csub.add_parser("list", help="list the shipped case files")
    ls.set_defaults(handler=_cmd_case_list)
    d = csub.add_parser("draft", help="propose a DRAFT case file from a corpus: the persons and organisations its "
                                      "texts name, with actors and frames guessed by rule (review every line)")
    _add_corpus_args(d)
    d.add_argument("--out", required=True, metavar="FILE.yaml", help="case file to write")
    d.add_argument("--case-name", default=None, metavar="NAME",
                   help="the case's name (letters, digits, _ and -; default: CORPUS_draft)")
    d.add_argument("--min-count", type=int, default=2, metavar="N",
                   help="propose a person or organisation mentioned at least N times (default: 2)")
    d.add_argument("--max-entries", type=int, default=100, metavar="N", help="at most N entries (default: 100)")
    d.add_argument("--force", action="store_true", help="overwrite --out if it exists")
    d.set_defaults(handler=_cmd_case_draft)
