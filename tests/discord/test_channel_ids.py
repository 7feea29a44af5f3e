"""A daily post to a channel id Discord can never have (stored before ids were validated) is a
permanent failure, not a network blip: the scheduler pauses it instead of retrying all day."""

from __future__ import annotations

import pytest

from bot.core.replies import Kind, Reply, Visibility
from bot.core.services import DeliveryError


async def test_posting_to_a_non_numeric_channel_id_is_gone_not_retryable(fake, service):
    daily = Reply(kind=Kind.DAILY, visibility=Visibility.CHANNEL, text="t", body="b")
    with pytest.raises(DeliveryError) as raised:
        await service.post("general", daily)
    assert raised.value.gone and not raised.value.retryable
    assert "general" in raised.value.reason
