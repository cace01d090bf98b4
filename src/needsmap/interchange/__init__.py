"""The workshop in the tools architects already run: data contracts, dbt, business glossaries, and back.

``registry`` names every format (exporters and importers, by name), ``base`` holds what every
format reads (:class:`~needsmap.interchange.base.ExportInput`) and returns, ``facts`` the
workshop's knowledge per attribute and per system once (who needs it, how fresh, how good,
who owns it, where it lives), ``files`` writes an export's files without leaving half a folder.
One module per format beside them.
"""
