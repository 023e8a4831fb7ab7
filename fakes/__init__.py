"""Stand-ins for the services rapport talks to, shared by tests/ and bench/ (not shipped with the app)."""
