"""Booths: a supplier's presence in an event, its profile and the organizer's decisions."""
