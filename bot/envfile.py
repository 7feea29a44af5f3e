"""The working directory's `.env`, which every command reads as `run` does (bot.config through
pydantic-settings, bot.cli through python-dotenv directly, to keep `ask` starting fast).

python-dotenv warns of a line it cannot parse without saying which file ("python-dotenv could
not parse statement starting at line 2"): an operator who set variables in the environment, a
Kubernetes secret and a `.env` had to guess. `name_the_file()` has the warning name it.
"""

from __future__ import annotations

import logging
from pathlib import Path

ENV_FILE = ".env"
_UNPARSABLE = "python-dotenv could not parse statement"


class _NamesTheFile(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if message.startswith(_UNPARSABLE):
            record.msg = f"{message} of {Path(ENV_FILE).resolve()}: that line is ignored"
            record.args = ()
        return True


_FILTER = _NamesTheFile()


def name_the_file() -> None:
    """Install the filter on python-dotenv's logger (once, however often it is called)."""
    logging.getLogger("dotenv.main").addFilter(_FILTER)  # a filter already there is kept once
