"""Roadmap options: the workshop indexed (``facts``), work items made from its facts (``items``), phased into
waves and scored (``engine``), one recommended to start with (``recommend``), laid out as rows, sentences,
Markdown and JSON (``output``), and written back into the file (``accept``).
"""
