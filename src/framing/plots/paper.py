r"""``make paper-check``: compile every table and figure of a report in a one- and a two-column article.

Each ``tables/*.tex`` is set alone in a one-column and in a two-column ``article`` (a ``longtable`` goes
after ``\onecolumn`` in the two-column paper, as a long table must), and every figure PDF is set at
its designed width (one journal column or the page width), never wider than ``\linewidth``, in a ``figure``
or, for page-width figures in the two-column paper, a ``figure*``. The check fails
when LaTeX reports an error, an overfull box, or a float too large for the page, naming the file and the
layout, and when a figure PDF is not 3.5 in or 7.2 in wide (its MediaBox: :func:`figure_width_problems`).
Needs Debian's ``texlive-latex-base``, ``-recommended``, ``-extra`` and ``texlive-science``.

Run as ``python -m framing.plots.paper [REPORTS_DIR]`` (exit status 1 on any problem).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from framing.errors import ReportError
from framing.paths import report_paths
from framing.types import PathLike

__all__ = ["JOURNAL_WIDTHS_IN", "LAYOUTS", "check_paper", "figure_width_problems", "main"]

LAYOUTS: dict[str, str] = {"one-column": "", "two-column": "twocolumn"}
PREAMBLE = r"""\documentclass[10pt,%s]{article}
\usepackage{booktabs,tabularx,longtable,xltabular,rotating,array,graphicx}
\begin{document}
"""
_PROBLEM = re.compile(r"^(?:! .*|Overfull \\[hv]box.*|.*Float too large for page.*)$", re.MULTILINE)
_FIGURE_ONE_COLUMN_MAX_IN = 3.6  # figures saved at one column (3.5 in) go in a column; wider ones span the page


def _pdf_width_in(path: Path) -> float:
    """Width of the first page of a PDF in inches (from its MediaBox)."""
    raw = path.read_bytes()
    m = re.search(rb"/MediaBox\s*\[\s*([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s*\]", raw)
    return (float(m.group(3)) - float(m.group(1))) / 72.0 if m else 0.0


JOURNAL_WIDTHS_IN = (3.5, 7.2)
"""The widths a figure is saved at (docs/reports.md): one journal column or the page (``framing.plots.figure_size``).
"""


def figure_width_problems(figures: Sequence[Path], root: Path | None = None) -> list[str]:
    """Name each figure PDF whose page (MediaBox) is not one of :data:`JOURNAL_WIDTHS_IN` wide (within 0.01 in).

    A figure at another width is scaled when a paper includes it, and its text no longer has the style's size.
    """
    out = []
    for fig in figures:
        width = _pdf_width_in(fig)
        if not any(abs(width - w) <= 0.01 for w in JOURNAL_WIDTHS_IN):
            shown = fig.relative_to(root) if root is not None and fig.is_relative_to(root) else fig
            out.append(f"{shown}: {width:.2f} in wide, not a journal width "
                       f"({' or '.join(f'{w} in' for w in JOURNAL_WIDTHS_IN)})")
    return out


def _compile(body: str, layout: str, workdir: Path, name: str, pdflatex: str) -> list[str]:
    tex = workdir / f"{name}.tex"
    tex.write_text(PREAMBLE % LAYOUTS[layout] + body + "\n\\end{document}\n", encoding="utf-8")
    try:
        proc = subprocess.run(
            [pdflatex, "-interaction=nonstopmode", "-halt-on-error", tex.name],
            cwd=workdir, capture_output=True, text=True, timeout=120, check=False,
        )
    except subprocess.TimeoutExpired:
        return ["pdflatex timed out"]
    log = workdir / f"{name}.log"
    text = log.read_text(encoding="utf-8", errors="replace") if log.is_file() else proc.stdout
    problems = list(dict.fromkeys(p for p in _PROBLEM.findall(text) if "Emergency stop" not in p
                                  and "Fatal error occurred" not in p))
    if proc.returncode != 0 and not problems:
        problems = [f"pdflatex exited {proc.returncode}"]
    return problems


def check_paper(reports_dir: PathLike = "reports", *, pdflatex: str | None = None) -> list[str]:
    """Compile every table and figure under ``reports_dir`` in both layouts; return the problems found.

    A figure not saved at a journal width (:func:`figure_width_problems`) is a problem too.

    Raises
    ------
    ReportError
        When ``pdflatex`` is not installed or there is nothing to check.
    """
    exe = pdflatex or shutil.which("pdflatex")
    if not exe:
        raise ReportError("pdflatex not found: on Debian apt-get install -y texlive-latex-base "
                          "texlive-latex-recommended texlive-latex-extra texlive-science")
    reports = Path(reports_dir).resolve()
    tables = sorted(report_paths(reports).tables.glob("*.tex"))
    figures = sorted(report_paths(reports).figures.glob("*.pdf"))
    if not tables and not figures:
        raise ReportError(f"{reports}: no tables/*.tex or figures/*.pdf to check")
    problems: list[str] = figure_width_problems(figures, reports)
    with tempfile.TemporaryDirectory(prefix="framing-paper-") as tmp:
        work = Path(tmp)
        for layout in LAYOUTS:
            for table in tables:
                content = table.read_text(encoding="utf-8")
                long = "\\begin{longtable}" in content or "\\begin{xltabular}" in content
                body = f"\\section*{{{table.stem.replace('_', ' ')}}}\n"
                body += ("\\onecolumn\n" if long and layout == "two-column" else "") + f"\\input{{{table}}}\n"
                for p in _compile(body, layout, work, f"{layout}-{table.stem}", exe):
                    problems.append(f"{table.relative_to(reports)} [{layout}]: {p}")
            body = "\\newlength{\\figwidth}\n"
            for fig in figures:
                natural = _pdf_width_in(fig)
                env = "figure*" if natural > _FIGURE_ONE_COLUMN_MAX_IN and layout == "two-column" else "figure"
                # at its designed size (one journal column or the page width), never wider than the line
                body += (f"\\begin{{{env}}}[p]\\centering\\setlength{{\\figwidth}}{{{natural:.3f}in}}"
                         "\\ifdim\\figwidth>\\linewidth\\setlength{\\figwidth}{\\linewidth}\\fi"
                         f"\\includegraphics[width=\\figwidth]{{{fig}}}"
                         f"\\caption{{{_figure_caption(fig)}}}\\end{{{env}}}\n\\clearpage\n")
            if figures:
                for p in _compile(body, layout, work, f"{layout}-figures", exe):
                    problems.append(f"figures [{layout}]: {p}")
    return problems


def _figure_caption(pdf: Path) -> str:
    """The caption a figure is set with: its ``NAME.caption.txt`` (LaTeX-escaped), else its name."""
    from framing.plots import CAPTION_SUFFIX
    from framing.plots.latex import latex_escape

    caption = pdf.with_name(pdf.stem + CAPTION_SUFFIX)
    if not caption.is_file():
        return pdf.stem.replace("_", " ")
    return latex_escape(caption.read_text(encoding="utf-8").strip())


def main(argv: Sequence[str] | None = None) -> int:
    import argparse

    ap = argparse.ArgumentParser(prog="python -m framing.plots.paper",
                                 description="Compile every table and figure of a report in a one- and a two-column "
                                             "article (make paper-check); exit status 1 on any problem.")
    ap.add_argument("reports", nargs="?", default="reports", help="the reports folder (default: reports)")
    reports = ap.parse_args(list(sys.argv[1:] if argv is None else argv)).reports
    try:
        problems = check_paper(reports)
    except ReportError as exc:
        print(f"paper-check: {exc}", file=sys.stderr)
        return 2
    for p in problems:
        print(f"paper-check: {p}", file=sys.stderr)
    n_tables = len(list(report_paths(reports).tables.glob("*.tex")))
    n_figures = len(list(report_paths(reports).figures.glob("*.pdf")))
    status = "FAILED" if problems else "ok"
    print(f"paper-check: {n_tables} tables and {n_figures} figures in {len(LAYOUTS)} layouts: "
          f"{len(problems)} problem(s) -> {status}")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())

