"""Discord adapter: discord.py 2.x, answering mentions and the /kubecon slash command, rendering
core replies as embeds with buttons. The runner imports `service.create_service`."""
