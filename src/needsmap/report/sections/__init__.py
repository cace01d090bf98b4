"""Sections that the model draft, the roadmap and a diff add to the report, one module each.

Each module turns its feature's result into ``{"id", "title", "html", "markdown"}`` for
:attr:`needsmap.report.context.ReportContext.extra_sections`; the report templates lay them out.
"""
