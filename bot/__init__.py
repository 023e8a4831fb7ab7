"""rapport: the Slack app (settings, app factory, entry point)."""
