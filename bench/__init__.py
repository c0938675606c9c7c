"""Benchmark helpers: a seeded generator of synthetic Cablegate-format CSV (see bench/generate.py)."""
