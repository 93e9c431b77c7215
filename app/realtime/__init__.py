"""The WebSocket transport: one socket per tab, many topics (see docs/realtime.md).

The transport knows no domain: domains register topic handlers (``app.realtime.topics``).
"""
