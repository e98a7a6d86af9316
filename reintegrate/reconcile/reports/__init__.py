"""The programme financial report: figures, check against the ledger, document and tables."""
