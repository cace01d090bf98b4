"""Roadmap options: generated from the gaps, phased into waves and scored (``engine``), laid out as
rows, sentences, Markdown and JSON (``output``), and written back into the file (``accept``).
"""
