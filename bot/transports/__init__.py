"""Transports: how associates reach the assistant (Telegram, the console)."""
