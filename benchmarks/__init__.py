"""Benchmarks of breachdocs at scale: a synthetic-data generator and a runner.

Not part of the product and not timed tests: ``make bench`` prints figures.
"""
