"""The ``needsmap`` command: a thin layer over the library.  ``main`` is the group, ``common`` holds
exit codes, output and shared options, and each command family has its own module.
"""
