"""Receipt verification: rounds drawn, answers, follow-ups."""
