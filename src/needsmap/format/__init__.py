"""The workshop file: its model and spec, loading with located diagnostics, validation, saving
(atomic, keeping comments), the JSON Schema, merge conflicts, the starter file, the one vocabulary
for naming items (``naming``) and the one walk over references (``references``).

Everything else reads workshops through this package; it imports only :mod:`needsmap.util`.
"""
