"""Synthetic, realistic-shaped workshops at three scales with planted gaps, for trials, tests and
benchmarks: the vocabulary (``vocabulary.yaml``, ``vocabulary``) and the generator (``builder``).
"""
