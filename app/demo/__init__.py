"""The demo expo: seed data a person can click through."""
