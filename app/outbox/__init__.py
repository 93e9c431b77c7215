"""Emails the platform wants sent, stored transactionally (the outbox pattern)."""
