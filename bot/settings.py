"""Settings, read once from the environment or a .env file by the entry points (never by `knowledge`)."""

import re
import threading
from pathlib import Path
from typing import Annotated

from platformdirs import user_data_dir
from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from knowledge.documents.reading import Limits

TOKEN_SHAPE = re.compile(r"^\d{3,}:[A-Za-z0-9_-]{20,}$")


def default_database_url() -> str:
    """An SQLite file in the user's data directory (~/.local/share/inspection-bot on Linux)."""
    return f"sqlite:///{Path(user_data_dir('inspection-bot')) / 'knowledge.db'}"


def database_password(url: str) -> str | None:
    """The password in a database URL, if it has one (and the URL can be read at all)."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(url).password
    except (ArgumentError, ValueError):
        return None


class Settings(BaseSettings):
    """Every setting the program reads; .env.example documents each one."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    database_url: str | None = None
    telegram_bot_token: SecretStr | None = None
    telegram_base_url: str = "https://api.telegram.org/bot"
    telegram_admin_ids: Annotated[list[int], NoDecode] = Field(default_factory=list)
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = 8443
    questions_per_minute: int = 20
    telegram_max_messages_per_second: float = Field(default=30.0, gt=0)
    read_timeout_seconds: float = Field(default=30.0, gt=0)
    read_memory_mb: int = Field(default=1024, ge=128)
    max_document_mb: int = Field(default=20, ge=1)
    stop_grace_seconds: float = Field(default=20.0, gt=0)
    sync_sources: Annotated[list[str], NoDecode] = Field(default_factory=list)
    sync_interval_minutes: float = Field(default=60.0, gt=0)
    sync_delay_seconds: float = Field(default=1.0, ge=0)
    sync_contact_url: str | None = None
    sync_allow_private_addresses: bool = False
    sync_timeout_seconds: float = Field(default=20.0, gt=0)
    sync_deadline_seconds: float = Field(default=60.0, gt=0)
    sync_max_retry_after_seconds: float = Field(default=30.0, ge=0)
    sync_max_minutes: float = Field(default=30.0, gt=0)
    announce_every_seconds: float = Field(default=10.0, gt=0)

    @field_validator("telegram_bot_token", "webhook_secret", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("database_url", "webhook_url", mode="before")
    @classmethod
    def _blank_url_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("telegram_bot_token")
    @classmethod
    def _real_token(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not TOKEN_SHAPE.match(value.get_secret_value()):
            raise ValueError("TELEGRAM_BOT_TOKEN does not look like a token from @BotFather (digits:letters)")
        return value

    @field_validator("webhook_secret")
    @classmethod
    def _usable_secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", value.get_secret_value()):
            raise ValueError("WEBHOOK_SECRET may use only letters, digits, _ and -, up to 256 characters")
        return value

    @field_validator("sync_sources", mode="before")
    @classmethod
    def _sources(cls, value: object) -> object:
        if isinstance(value, str):
            return [part for part in re.split(r"[\s,]+", value) if part]
        return value

    @field_validator("sync_contact_url", mode="before")
    @classmethod
    def _blank_contact_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("telegram_admin_ids", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        if isinstance(value, str):
            return [int(part) for part in value.replace(" ", "").split(",") if part]
        if isinstance(value, int):
            return [value]
        return value

    def secrets(self) -> list[str]:
        """Values that must never appear in a log line or on stderr."""
        values = [s.get_secret_value() for s in (self.telegram_bot_token, self.webhook_secret) if s is not None]
        return values + [database_password(self.database_url)] if self.database_url else values

    def database(self) -> str:
        return self.database_url or default_database_url()

    def limits(self) -> Limits:
        """Bounds on reading one untrusted document."""
        return Limits(seconds=self.read_timeout_seconds, memory_mb=self.read_memory_mb, max_bytes=self.max_document_mb * 1024 * 1024)

    def user_agent(self) -> str | None:
        """How the sync names itself to web servers: the product and who to contact (None without a contact)."""
        from importlib.metadata import PackageNotFoundError, version

        if not self.sync_contact_url:
            return None
        try:
            release = version("inspection-bot")
        except PackageNotFoundError:
            release = "0"
        return f"inspection-bot/{release} (+{self.sync_contact_url.strip()})"

    def fetcher(self, stop: threading.Event | None = None):  # noqa: ANN201 - a knowledge.web.fetching.Fetcher
        """The polite, bounded web client the sync uses (SYNC_CONTACT_URL must be set); setting `stop` cuts short
        whatever it is doing within about a tenth of a second."""
        from knowledge.web.fetching import Fetcher

        agent = self.user_agent()
        if agent is None:
            raise ValueError("set SYNC_CONTACT_URL (a web page or mailto: link saying who runs this bot) before syncing, so site owners can reach you")
        return Fetcher(agent, delay=self.sync_delay_seconds, max_bytes=self.limits().max_bytes, allow_private=self.sync_allow_private_addresses,
                       timeout=self.sync_timeout_seconds, deadline=self.sync_deadline_seconds, max_wait=self.sync_max_retry_after_seconds, stop=stop)
