"""Chat transport only: adapters translate platform payloads to and from `bot.channel`."""
