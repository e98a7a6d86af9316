"""Evidence on the sustainability of return: scored surveys compared by the assistance given.

Pure domain: `rows` (what the evidence is computed from), `groups` (how a person's assistance
is classified), `quartiles` (exact order statistics), `cells` (small-cell suppression that
differencing cannot undo) and `evidence` (the comparison itself).
"""
