"""The terminal as a platform: text and JSON rendering for the CLI, and `kubecon-bot chat`."""
