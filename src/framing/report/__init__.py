"""The study report: findings first, rendered notebooks, figures, tables, key results and provenance.

:func:`build_index` renders every executed notebook under ``reports/notebooks/`` to an offline HTML page
(:mod:`framing.report.notebook`) and writes ``reports/index.html`` from the Jinja2 template
``templates/index.html.j2`` (autoescaped): first *what the study found* (:mod:`framing.report.findings`,
generated from the results, each finding linked to its figure, table, KWIC rows and notebook), then the
notebooks, figures, tables, key results, batch runs and provenance.

Every page (index, evidence pages, the run-status banner, the parameters table of a rendered notebook,
tables) is rendered from a Jinja2 template in ``templates/`` with autoescaping on; Python prepares plain
data, so a document or file named ``<script>`` shows as text. The index is self-contained (inline CSS, no
scripts, no external resources); two runs of the same study give the same page but for what describes the run
itself (its start and finish times, durations and the folders in its provenance section).

:func:`screenshot` and :func:`check_page` load a page in headless Chromium (:mod:`framing.report.browser`).
"""

from __future__ import annotations

from framing.errors import ReportError
from framing.paths import EVIDENCE_DIR, KEY_RESULTS_FILE
from framing.report.browser import CHROMIUM_CANDIDATES, check_page, find_chromium, screenshot
from framing.report.findings import Finding, collect_findings, findings_group_label, headline
from framing.report.html import (
    esc,
    html_page,
    html_table,
    jinja_env,
    read_key_results,
    record_key_results,
    relative_url,
    render_template,
    table_data,
)
from framing.report.index import FIGURE_EXTENSIONS, TABLE_EXTENSIONS, build_index
from framing.report.kwic import anchor, write_evidence
from framing.report.notebook import notebook_info, parameters_table, relabel_prose, render_notebook
from framing.report.status import run_status_banner, status_banner

__all__ = [
    "CHROMIUM_CANDIDATES",
    "EVIDENCE_DIR",
    "FIGURE_EXTENSIONS",
    "KEY_RESULTS_FILE",
    "TABLE_EXTENSIONS",
    "Finding",
    "ReportError",
    "anchor",
    "build_index",
    "check_page",
    "collect_findings",
    "esc",
    "find_chromium",
    "findings_group_label",
    "headline",
    "html_page",
    "html_table",
    "jinja_env",
    "notebook_info",
    "parameters_table",
    "read_key_results",
    "record_key_results",
    "relabel_prose",
    "relative_url",
    "render_notebook",
    "render_template",
    "run_status_banner",
    "screenshot",
    "status_banner",
    "table_data",
    "write_evidence",
]
