"""Idempotency keys: a retried request returns the first response instead of acting twice."""
