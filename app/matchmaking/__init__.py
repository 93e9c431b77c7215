"""Collective matchmaking sessions: who meets whom, when."""
