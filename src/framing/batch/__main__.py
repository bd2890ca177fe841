"""``python -m framing.batch --worker SPEC.json``: the worker process of one run (internal; use ``framing batch``)."""

from __future__ import annotations

import sys

from framing.batch._worker import _main

if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
