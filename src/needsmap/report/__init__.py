"""What stakeholders read: the typed report context, HTML and Markdown through the templates,
XLSX and CSV tables, Graphviz diagrams, SVG charts, and the sections that the draft, the roadmap and
a diff add (``sections``).
"""
