"""Routes, one module per area of work; each route declares its access policy."""
