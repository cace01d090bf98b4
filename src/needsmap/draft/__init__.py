"""The data-model draft for architects: tables traced to the use cases that need them (``engine``)
and its renderings, SQL per dialect, DBML, Mermaid, JSON Schema, DOT, YAML (``render``).

Named *draft* so that *model* keeps meaning the workshop's own model (:mod:`needsmap.format.model`).
"""
