"""The PostgreSQL app of the concurrency tests (tests/negotiations/conftest.py), here too."""

from tests.negotiations.conftest import pg_app, pg_client, postgres_url

__all__ = ["pg_app", "pg_client", "postgres_url"]
