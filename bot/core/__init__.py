"""The platform-neutral core: content, matching, intents and replies, the front door every
platform calls (`app.BotApp`), and the vocabulary every feature shares (`Incoming`, `Reply`, the
`Service` and `Poster` contracts, the clock). It imports no other package of the bot."""
