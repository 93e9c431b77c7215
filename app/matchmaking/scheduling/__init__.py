"""The scheduler's parts, split by concept; the public entry point is app.matchmaking.scheduler."""
