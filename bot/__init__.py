"""The product: settings, the assistant core, the Telegram adapter, the CLI and the wiring."""
