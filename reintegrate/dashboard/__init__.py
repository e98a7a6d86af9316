"""What a programme's dashboard shows, as plain figures: spending against budget, payments by
status over time, score distributions by group and follow-up completion. Pure: the charts
are drawn by `reintegrate.adapters.charts`, the page by the API."""
