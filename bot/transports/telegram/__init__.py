"""The Telegram transport: python-telegram-bot handlers over the assistant core."""
