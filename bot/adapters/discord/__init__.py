"""Discord adapter: discord.py 2.x, answering mentions and the /kubecon slash command, rendering
core replies as embeds with buttons. Declared to the platform registry in `platform.py`, which
imports `service.create_service` only when `kubecon-bot run` serves Discord.

discord.py's voice player imports `audioop`, deprecated since Python 3.11: a warning about voice
code a text bot never runs, which an operator cannot act on. Only that one message is ignored,
before discord.py is first imported through this package.
"""

import warnings

warnings.filterwarnings(
    "ignore", message="'audioop' is deprecated", category=DeprecationWarning, module="discord"
)
