"""HTTP adapters: one thin router module per domain, mounted under /api/v1."""
