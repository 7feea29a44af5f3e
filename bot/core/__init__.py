"""The platform-neutral core: content, matching, replies, takeaway rotation.

Nothing in this package imports an adapter, a chat SDK, aiohttp or a database driver, so the
terminal CLI starts fast and every rule decided here is tested once for all platforms.
"""
