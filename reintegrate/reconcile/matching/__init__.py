"""Matching statement lines against payments, and what it concludes."""
