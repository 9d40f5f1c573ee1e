"""Networks of people, places and phones around children (read-only views over the store)."""
