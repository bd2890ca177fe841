"""Headless Chromium: screenshots of report pages and a DOM check of what a reader sees.

:func:`screenshot` renders an HTML file to PNG (``framing screenshot``). :func:`check_page` loads a page
the same way and reports, from the DOM after load: images that did not load, elements that stick out of
the page width (outside any scrolling box), and the page's visible text (so a test can check that corpus
text containing ``<script>`` shows as text). Chromium runs with a fresh temporary profile, no sandbox, no
GPU, no QUIC, no background networking, component updates or sync.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from framing.errors import ReportError
from framing.io import atomic_write_bytes
from framing.types import PathLike

CHROMIUM_CANDIDATES: tuple[str, ...] = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
CHROMIUM_FLAGS: tuple[str, ...] = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
)

_CHECK_ID = "framing-dom-check"
_CHECK_SCRIPT = """
<script>
window.addEventListener("load", function () {
  var width = document.documentElement.clientWidth;
  var scrolls = function (el) {
    for (var p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      var o = getComputedStyle(p).overflowX;
      if (o === "auto" || o === "scroll" || o === "hidden") return true;
    }
    return false;
  };
  var images = Array.prototype.slice.call(document.images);
  var failed = images.filter(function (i) { return !(i.complete && i.naturalWidth > 0); })
                     .map(function (i) { return i.getAttribute("src"); });
  var over = [];
  document.querySelectorAll("body *").forEach(function (el) {
    if (el.id === "%(id)s" || getComputedStyle(el).position === "fixed") return;
    var r = el.getBoundingClientRect();
    // the box itself sticks out, or (a block whose box fits, such as an h1 holding one long word) its content
    // does: its scrollWidth passes its clientWidth while it lets overflow show
    var right = r.right;
    var style = getComputedStyle(el);
    if (style.overflowX === "visible" && el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1) {
      right = Math.max(right, r.left + el.clientLeft + el.scrollWidth);
    }
    if (r.width > 0 && right > width + 1 && !scrolls(el)) {
      over.push(el.tagName.toLowerCase() + (el.className ? "." + String(el.className).split(" ")[0] : "")
                + " right=" + Math.round(right));
    }
  });
  var scripts = Array.prototype.slice.call(document.scripts).map(function (s) { return s.textContent; });
  var out = document.createElement("pre");
  out.id = "%(id)s";
  out.textContent = JSON.stringify({
    images: images.length, failed_images: failed, overflowing: over.slice(0, 50),
    client_width: width, scroll_width: document.documentElement.scrollWidth,
    text: document.body.innerText, scripts: scripts
  });
  document.body.appendChild(out);
});
</script>
""".replace("%(id)s", _CHECK_ID)


def find_chromium(explicit: PathLike | None = None) -> Path | None:
    """Return a Chromium executable: ``explicit``, ``$FRAMING_CHROMIUM``, or one on ``PATH``."""
    for candidate in (explicit, os.environ.get("FRAMING_CHROMIUM")):
        if candidate:
            found = shutil.which(str(candidate))
            return Path(found) if found else None
    for name in CHROMIUM_CANDIDATES:
        found = shutil.which(name)
        if found:
            return Path(found)
    return None


def _run_chromium(
    page: Path, extra: list[str], *, width: int, height: int, chromium: PathLike | None, timeout: float, tmp: Path
) -> subprocess.CompletedProcess[str]:
    exe = find_chromium(chromium)
    if exe is None:
        raise ReportError(
            "no Chromium found (looked for $FRAMING_CHROMIUM, " + ", ".join(CHROMIUM_CANDIDATES)
            + "); on Debian: apt-get install -y chromium"
        )
    if width <= 0 or height <= 0:
        raise ReportError(f"window size must be positive, got {width}x{height}")
    cmd = [str(exe), *CHROMIUM_FLAGS, f"--user-data-dir={tmp / 'profile'}", f"--window-size={int(width)},{int(height)}",
           *extra, page.resolve().as_uri()]
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired as exc:
        raise ReportError(f"chromium timed out after {timeout:.0f} s rendering {page}") from exc


def screenshot(
    html_file: PathLike,
    out: PathLike,
    *,
    width: int = 1280,
    height: int = 1600,
    chromium: PathLike | None = None,
    timeout: float = 120.0,
) -> Path:
    """Render ``html_file`` to a PNG with headless Chromium and write it atomically to ``out``.

    Raises
    ------
    ReportError
        When the HTML file or Chromium is missing, or Chromium fails (its output is quoted).
    """
    src = Path(html_file)
    if not src.is_file():
        raise ReportError(f"HTML file not found: {src}")
    with tempfile.TemporaryDirectory(prefix="framing-chromium-") as tmp:
        shot = Path(tmp) / "shot.png"
        proc = _run_chromium(src, [f"--screenshot={shot}"], width=width, height=height, chromium=chromium,
                             timeout=timeout, tmp=Path(tmp))
        if not shot.is_file() or shot.read_bytes()[:8] != b"\x89PNG\r\n\x1a\n":
            tail = "\n".join((proc.stderr or "").strip().splitlines()[-5:])
            raise ReportError(f"chromium produced no screenshot of {src} (exit {proc.returncode}): {tail}")
        return atomic_write_bytes(out, shot.read_bytes())


def check_page(
    html_file: PathLike,
    *,
    width: int = 1280,
    height: int = 900,
    chromium: PathLike | None = None,
    timeout: float = 120.0,
) -> dict[str, Any]:
    """Load ``html_file`` in headless Chromium and report what the DOM shows after load.

    A copy of the page with a small checking script is written next to it (so relative links resolve) and
    removed afterwards; the page itself is not changed.

    Returns
    -------
    dict
        ``images`` (count), ``failed_images`` (their ``src``), ``overflowing`` (elements wider than the page
        outside any scrolling box, or whose content, such as one long word, runs past the page's right edge),
        ``client_width``, ``scroll_width``, ``text`` (the visible text) and
        ``scripts`` (the text of every script element, the check's own excluded).
    """
    src = Path(html_file)
    if not src.is_file():
        raise ReportError(f"HTML file not found: {src}")
    page = src.read_text(encoding="utf-8")
    end = page.lower().rfind("</body>")
    probe = src.with_name(f".{src.stem}.domcheck.html")
    probe.write_text(page[:end] + _CHECK_SCRIPT + page[end:] if end >= 0 else page + _CHECK_SCRIPT, encoding="utf-8")
    try:
        with tempfile.TemporaryDirectory(prefix="framing-chromium-") as tmp:
            proc = _run_chromium(probe, ["--dump-dom", "--virtual-time-budget=10000"], width=width, height=height,
                                 chromium=chromium, timeout=timeout, tmp=Path(tmp))
    finally:
        probe.unlink(missing_ok=True)
    found = re.search(rf'<pre id="{_CHECK_ID}">(.*?)</pre>', proc.stdout or "", re.DOTALL)
    if not found:
        tail = "\n".join((proc.stderr or "").strip().splitlines()[-5:])
        raise ReportError(f"chromium did not run the DOM check on {src} (exit {proc.returncode}): {tail}")
    import html as _html

    result: dict[str, Any] = json.loads(_html.unescape(found.group(1)))
    result["scripts"] = [s for s in result["scripts"] if _CHECK_ID not in s]
    return result
