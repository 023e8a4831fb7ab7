"""Rendering: every word a user reads, and the Block Kit it is shown in. Never touches the database."""
