"""The PostgreSQL-backed app of the negotiation tests, for this folder's concurrency test."""

from tests.negotiations.conftest import pg_app, pg_client, postgres_url

__all__ = ["pg_app", "pg_client", "postgres_url"]
