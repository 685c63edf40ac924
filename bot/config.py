"""Loads the data files of config/ (defaults, sources, seed rules) and says exactly what is wrong in them."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from bot.classify import ClassifierConfig
from bot.models import Source
from bot.seeds import PublisherRule
from bot.stories import StorySettings


class ConfigError(Exception):
    """A bad config file: the message names the file, the key and how to fix it."""


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FetchDefaults(_Section):
    connect_timeout: float = Field(10, gt=0)
    read_timeout: float = Field(30, gt=0)
    max_bytes: int = Field(5_000_000, gt=0)
    max_redirects: int = Field(5, ge=0)
    concurrency: int = Field(20, ge=1)
    user_agent: str = "coop/0.1"
    full_text_timeout: float = Field(20, gt=0)
    full_text_max_chars: int = Field(20_000, gt=0)


class WatcherDefaults(_Section):
    backfill_days: float = Field(3, ge=0)
    jitter: float = Field(30, ge=0)
    backoff_base: float = Field(60, gt=0)
    backoff_max: float = Field(21600, gt=0)
    failures_before_notice: int = Field(5, ge=1)
    admin_channel: str = ""
    recheck_days: float = Field(2, ge=0)
    recheck_max: int = Field(5, ge=0)
    quiet_min_days: float = Field(14, ge=0)
    quiet_gaps: float = Field(4, ge=1)


class DeliveryDefaults(_Section):
    digest_after: int = Field(5, ge=1)
    per_channel_interval: float = Field(1.0, ge=0)
    max_attempts: int | None = Field(None, ge=1)
    retry_base: float = Field(5, ge=0)
    retry_max: float = Field(900, gt=0)
    give_up_after_hours: float = Field(24, gt=0)
    batch: int = Field(50, ge=1)
    digest_hour: int = Field(8, ge=0, le=23)
    pause_reminder_days: float = Field(7, ge=0)


class MatrixDefaults(_Section):
    power_level_to_subscribe: int = 50
    invite_allowlist: list[str] = Field(default_factory=list)
    admins: list[str] = Field(default_factory=list)
    sync_timeout: int = Field(30, ge=1, le=300)


class ClassifierDefaults(_Section):
    area_threshold: float = Field(2.5, gt=0)
    area_relative: float = Field(0.3, ge=0, le=1)
    cooperation_threshold: float = Field(1.0, gt=0)
    cooperation_relative: float = Field(0.5, ge=0, le=1)
    enumeration_factor: float = Field(2.5, ge=1)
    charge_factor: float = Field(2.5, ge=1)

    def to_config(self) -> ClassifierConfig:
        return ClassifierConfig(**self.model_dump())


class StoryDefaults(_Section):
    enabled: bool = True
    days: float = Field(3, gt=0)
    same_story: float = Field(0.3, gt=0, le=1)
    idf_days: float = Field(90, gt=0)
    min_releases: int = Field(20, ge=1)
    top_words: int = Field(100, ge=1)

    def to_settings(self) -> StorySettings:
        return StorySettings(**self.model_dump())


class Defaults(_Section):
    classifier: ClassifierDefaults = Field(default_factory=ClassifierDefaults)
    fetch: FetchDefaults = Field(default_factory=FetchDefaults)
    watcher: WatcherDefaults = Field(default_factory=WatcherDefaults)
    delivery: DeliveryDefaults = Field(default_factory=DeliveryDefaults)
    matrix: MatrixDefaults = Field(default_factory=MatrixDefaults)
    stories: StoryDefaults = Field(default_factory=StoryDefaults)


class SourcesFile(_Section):
    sources: list[Source] = Field(default_factory=list)

    @field_validator("sources")
    @classmethod
    def _unique_and_valid(cls, sources: list[Source]) -> list[Source]:
        seen: set[str] = set()
        for source in sources:
            if source.id in seen:
                raise ValueError(f"source id {source.id!r} is used twice; ids must be unique")
            seen.add(source.id)
            if source.kind == "html" and not source.link_pattern:
                raise ValueError(f"source {source.id!r} is kind = \"html\" and needs a link_pattern")
            if source.link_pattern:
                try:
                    re.compile(source.link_pattern)
                except re.error as error:
                    problem = f"source {source.id!r}: link_pattern is not a regular expression: {error}"
                    raise ValueError(problem) from error
        return sources


class SeedRules(_Section):
    publishers: list[dict[str, str]] = Field(default_factory=list)


Model = TypeVar("Model", bound=BaseModel)


def _load(path: Path, model: type[Model], missing_ok: bool = False) -> Model:
    try:
        with path.open("rb") as handle:
            data: dict[str, Any] = tomllib.load(handle)
    except FileNotFoundError as error:
        if missing_ok:
            return model()
        raise ConfigError(f"{path}: file not found") from error
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML: {error}") from error
    try:
        return model.model_validate(data)
    except ValidationError as error:
        lines = [f"{path}: {'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors()]
        raise ConfigError("\n".join(lines)) from error


def load_defaults(config_dir: Path) -> Defaults:
    return _load(config_dir / "defaults.toml", Defaults, missing_ok=True)


def load_sources(path: Path) -> list[Source]:
    return _load(path, SourcesFile).sources


def load_seed_rules(config_dir: Path) -> list[PublisherRule]:
    rules = _load(config_dir / "seeds.toml", SeedRules, missing_ok=True)
    return [PublisherRule(publisher=r["publisher"], contains=r["contains"]) for r in rules.publishers]
