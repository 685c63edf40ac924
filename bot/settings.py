"""Settings from the environment, exactly the variables of the public interface, validated at start."""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import AliasChoices, Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "sqlite:///data/coop.sqlite3"


def _env(name: str) -> AliasChoices:
    return AliasChoices(name)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(extra="ignore", populate_by_name=False)

    database_url: str = Field(DEFAULT_DATABASE_URL, validation_alias=_env("COOP_DATABASE_URL"))
    config_dir: Path = Field(PROJECT_ROOT / "config", validation_alias=_env("COOP_CONFIG_DIR"))
    sources_file: Path | None = Field(None, validation_alias=_env("COOP_SOURCES"))
    slack_bot_token: str | None = Field(None, validation_alias=_env("SLACK_BOT_TOKEN"))
    slack_signing_secret: str | None = Field(None, validation_alias=_env("SLACK_SIGNING_SECRET"))
    slack_app_token: str | None = Field(None, validation_alias=_env("SLACK_APP_TOKEN"))
    slack_api_url: str | None = Field(None, validation_alias=_env("COOP_SLACK_API_URL"))
    slack_client_id: str | None = Field(None, validation_alias=_env("SLACK_CLIENT_ID"))
    slack_client_secret: str | None = Field(None, validation_alias=_env("SLACK_CLIENT_SECRET"))
    matrix_homeserver: str | None = Field(None, validation_alias=_env("MATRIX_HOMESERVER"))
    matrix_user_id: str | None = Field(None, validation_alias=_env("MATRIX_USER_ID"))
    matrix_access_token: str | None = Field(None, validation_alias=_env("MATRIX_ACCESS_TOKEN"))
    # The Matrix device's encryption keys: they must outlive restarts, as members' clients encrypted for them.
    matrix_store_dir: Path | None = Field(None, validation_alias=_env("COOP_MATRIX_STORE"))
    http_host: str = Field("127.0.0.1", validation_alias=_env("COOP_HTTP_HOST"))
    http_port: int = Field(3000, ge=0, le=65535, validation_alias=_env("COOP_HTTP_PORT"))
    # Where people reach the HTTP server through the proxy: the links `export` gives and a feed's own address.
    public_url: str | None = Field(None, validation_alias=_env("COOP_PUBLIC_URL"))

    @field_validator("database_url")
    @classmethod
    def _known_scheme(cls, value: str) -> str:
        if not value.startswith(("sqlite:", "postgresql")):
            raise ValueError("expected an SQLAlchemy URL such as sqlite:///data/coop.sqlite3")
        return value

    @field_validator("public_url")
    @classmethod
    def _web_address(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"https?://[^\s/?#]+(/[^\s?#]*)?", value):
            raise ValueError("expected the address people open coop's web server at, such as https://coop.example.org")
        return value.rstrip("/") if value else None

    @field_validator("config_dir")
    @classmethod
    def _config_dir_exists(cls, value: Path) -> Path:
        if not value.is_dir():
            raise ValueError(f"expected a folder holding sources.toml and taxonomy.toml; {value} is not one")
        return value

    @field_validator("sources_file")
    @classmethod
    def _sources_file_exists(cls, value: Path | None) -> Path | None:
        if value is not None and not value.is_file():
            raise ValueError(f"expected the path of a sources TOML file; {value} does not exist")
        return value

    @property
    def matrix_store(self) -> Path:
        """Where the Matrix keys are kept: as set, else beside an SQLite database, so they are backed up with it."""
        if self.matrix_store_dir is not None:
            return self.matrix_store_dir
        url = make_url(self.database_url)
        if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
            return Path(url.database).parent / "matrix-store"
        return Path("data/matrix-store")

    @property
    def sources_path(self) -> Path:
        return self.sources_file or self.config_dir / "sources.toml"

    @property
    def slack_oauth(self) -> bool:
        """Installable in many workspaces: each install's bot token is kept in the store, none in the environment."""
        return bool(self.slack_client_id and self.slack_client_secret and self.slack_signing_secret
                    and not self.slack_bot_token)

    @property
    def slack_enabled(self) -> bool:
        return self.slack_oauth or bool(self.slack_bot_token and (self.slack_signing_secret or self.slack_app_token))

    @property
    def matrix_enabled(self) -> bool:
        return bool(self.matrix_homeserver and self.matrix_user_id and self.matrix_access_token)


class SettingsError(Exception):
    """Invalid configuration, with one line per bad variable naming it and what is expected."""


_ENV_NAMES = {
    name: str(field.validation_alias.choices[0])
    for name, field in Settings.model_fields.items()
    if isinstance(field.validation_alias, AliasChoices)
}


def _is_secret(variable: str) -> bool:
    return variable.endswith(("_TOKEN", "_SECRET"))


def describe_validation_error(error: ValidationError) -> str:
    lines = []
    for item in error.errors():
        field = str(item["loc"][0]) if item["loc"] else "?"
        variable = _ENV_NAMES.get(field, field)
        message = item["msg"].removeprefix("Value error, ")
        shown = "" if _is_secret(variable) else f" (got {item.get('input')!r})"
        lines.append(f"{variable}: {message}{shown}")
    return "\n".join(lines)


def load_settings() -> Settings:
    try:
        return Settings()
    except ValidationError as error:
        raise SettingsError(describe_validation_error(error)) from error
