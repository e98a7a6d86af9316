"""Payment batches to providers and who their payments go to."""
