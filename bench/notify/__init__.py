"""Telling many people at once: a show's start notifying its followers (bench/notify/run.py)."""
