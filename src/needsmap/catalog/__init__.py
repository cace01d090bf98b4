"""The reference catalog of customer attributes (``catalog.yaml``, loaded and searched by ``entries``)
and the one reading of names that catalog search, column matching and linkers share (``name_tokens``).
"""
