"""Small things every package uses, each exactly once: text made safe for its medium (``text``),
atomic file writes (``atomic_write``), pausing the garbage collector (``gcpause``) and Graphviz
(``graphviz``).  Imports nothing else of needsmap.
"""
