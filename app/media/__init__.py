"""Uploaded media: validated, re-encoded images behind a storage interface."""
