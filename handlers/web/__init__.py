"""Web pages served beside Slack's requests, on the same port: the survey page for people outside Slack."""
