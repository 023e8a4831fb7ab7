"""Slack-side services: code that calls the Slack Web API but is no listener (the sweep, deliveries, look-ups)."""
