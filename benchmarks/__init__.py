"""Benchmarks: one ``bench_NAME.py`` script per topic, run on demand (``python -m benchmarks [NAME]``)."""
