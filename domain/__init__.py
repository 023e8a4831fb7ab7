"""Domain logic: plain functions over a session and plain values. No Slack payloads, no user-facing text."""
