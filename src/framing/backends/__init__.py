"""Backends for corpora larger than memory: partition by partition in process (streamed) or on Dask.

See :mod:`framing.backends.partitions` (cutting and reading partitions) and :mod:`framing.backends.run`
(processing, scoring, writing and checking them), and :mod:`framing.backends.study` (the study's corpus
preparation on a backend, ``framing run --backend``).
"""

from __future__ import annotations

from framing.backends.partitions import (
    BAD_RECORD_POLICIES,
    PARTITION_BYTES,
    Partition,
    plan_partitions,
    read_partition,
)
from framing.backends.run import (
    BACKENDS,
    PartitionedResult,
    current_partitioned,
    load_partitioned_corpus,
    partitioned_state,
    read_partitioned,
    run_partitioned,
    source_fingerprint,
    write_partitioned_csv,
)

__all__ = [
    "BACKENDS",
    "BAD_RECORD_POLICIES",
    "PARTITION_BYTES",
    "Partition",
    "PartitionedResult",
    "current_partitioned",
    "load_partitioned_corpus",
    "partitioned_state",
    "plan_partitions",
    "read_partition",
    "read_partitioned",
    "run_partitioned",
    "source_fingerprint",
    "write_partitioned_csv",
]
