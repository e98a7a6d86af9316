"""reintegrate: reintegration assistance for returning migrants, with caps as ledger limits."""
