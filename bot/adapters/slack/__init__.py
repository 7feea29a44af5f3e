"""Slack adapter: slack-bolt (async) in Socket Mode or HTTP mode, rendering core replies as
Block Kit. Declared to the platform registry in `platform.py`, which imports
`service.create_service` only when `kubecon-bot run` serves Slack."""
