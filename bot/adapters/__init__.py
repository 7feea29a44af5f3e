"""Platform adapters: each translates its platform's events into core calls and renders core
replies back, nothing more. They may import the core; the core never imports them. Each one
declares itself in a light `platform.py` (bot.core.platforms.Platform), the only part of it
read by processes that do not serve it."""
