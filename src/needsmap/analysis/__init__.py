"""The analysis of a workshop: the graph of who holds, feeds and needs what (``graph``), the rule
catalogue (``rules``), findings and readiness with incremental re-analysis (``engine``), and gaps as
groups, JSON and Markdown (``output``).  Reads workshops; knows nothing of any user interface.
"""
