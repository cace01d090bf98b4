"""Widgets of the terminal UI: status and navigation bars, dialogs, quick note, forms, pickers."""
