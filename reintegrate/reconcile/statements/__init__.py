"""Statements as imported, whatever their file format: lines, imports, CSV column mappings."""
