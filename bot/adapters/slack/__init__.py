"""Slack adapter: slack-bolt (async) in Socket Mode or HTTP mode, rendering core replies as
Block Kit. Import `create_service` from `bot.adapters.slack.service`."""
