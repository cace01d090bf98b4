"""Bringing existing material into a workshop: spreadsheets, SQL DDL and live databases, planned
as proposed changes (``plan``), previewed, reviewed (``review``) and applied; columns are matched to
attributes by ``column_match``.
"""
