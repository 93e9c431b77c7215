"""Livestream marketing rooms: a booth's live shows, built around the path from watching to
asking (chat, pinned products, "Ask for a quote", flash offers, and the show's funnel)."""
