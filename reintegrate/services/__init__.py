"""Use cases: each opens a unit of work, asks the domain to decide, records, commits."""
