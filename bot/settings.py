"""Settings, read once from the environment or a .env file by the entry points (never by `knowledge`)."""

from pathlib import Path

from platformdirs import user_data_dir
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_database_url() -> str:
    """An SQLite file in the user's data directory (~/.local/share/inspection-bot on Linux)."""
    return f"sqlite:///{Path(user_data_dir('inspection-bot')) / 'knowledge.db'}"


class Settings(BaseSettings):
    """Every setting the program reads; .env.example documents each one."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    database_url: str | None = None

    def database(self) -> str:
        return self.database_url or default_database_url()
