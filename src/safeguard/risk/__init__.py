"""Risk: the alert catalogue of spec/alerts.md, the risk picture, missing and CSE risk."""
