"""Reproducible delivery days for benchmarks and demos, built on the real communes."""
