"""The screens of the terminal UI, one module each (with its ``.tcss`` beside it).

The five list screens (stakeholders, use cases, processes, attributes, systems) share
:mod:`needsmap.tui.screens.sections`.  The order, titles and keys of all screens are in
:mod:`needsmap.tui.registry`.
"""
