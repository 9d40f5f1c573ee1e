"""The web application: pages and the JSON API, one FastAPI app."""
