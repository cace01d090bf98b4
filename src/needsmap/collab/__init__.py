"""Working together on one workshop: item identity, diffs, the three-way merge (and git's merge
driver), git revisions and setup, and the live editing session the terminal UI runs on.
"""
