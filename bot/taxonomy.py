"""The taxonomy in config/ (agencies, crime areas, cooperation kinds, countries), validated when it is loaded."""

from __future__ import annotations

import tomllib
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator


class TaxonomyError(Exception):
    """A bad entry in a taxonomy file: the message names the file, the key and what is wrong."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AgencyEntry(_Strict):
    name: str = Field(min_length=1)
    names: list[str] = Field(default_factory=list)
    abbreviations: list[str] = Field(default_factory=list)


class PhraseEntry(_Strict):
    """A crime area or a kind of cooperation: phrases that name it, hints, and phrases that cancel a hit."""

    name: str = Field(min_length=1)
    strong: list[str] = Field(min_length=1)
    weak: list[str] = Field(default_factory=list)
    exclude: list[str] = Field(default_factory=list)


class CountryEntry(_Strict):
    names: list[str] = Field(min_length=1)
    abbreviations: list[str] = Field(default_factory=list)
    # a country's own police, prosecution and customs bodies, which releases name without the country ("the Guardia
    # Civil arrested"): found in releases as names are, but not a name a user types for the country
    authorities: list[str] = Field(default_factory=list)


class Roles(_Strict):
    party: list[str] = Field(min_length=1)
    case: list[str] = Field(default_factory=list)  # no case words: every country named is involved
    charges: list[str] = Field(default_factory=list)  # "arrested for", "charged with": the case's own crimes follow
    nationality: list[str] = Field(default_factory=list)
    peoples: list[str] = Field(default_factory=list)  # adjectives of no country that may stand in a nationality list


class Taxonomy(_Strict):
    agencies: dict[str, AgencyEntry]
    roles: Roles
    areas: dict[str, PhraseEntry]
    cooperation: dict[str, PhraseEntry]
    countries: dict[str, CountryEntry] = Field(default_factory=dict)
    # places whose names hold a country's name and are not that country ("Gulf of Guinea", "New Mexico")
    not_countries: list[str] = Field(default_factory=list)
    publishers: dict[str, str] = Field(default_factory=dict)  # national bodies that are not agencies: ID -> name

    @field_validator("agencies", "areas", "cooperation", "publishers")
    @classmethod
    def _ids_are_slugs(cls, value: dict[str, object]) -> dict[str, object]:
        for key in value:
            if not key.replace("-", "").isalnum() or key != key.lower():
                raise ValueError(f"ID {key!r} must be lowercase letters, digits and '-'")
        return value

    @field_validator("countries")
    @classmethod
    def _iso_codes(cls, value: dict[str, CountryEntry]) -> dict[str, CountryEntry]:
        for code in value:
            if len(code) != 2 or not code.isalpha() or not code.isupper():
                raise ValueError(f"country key {code!r} must be an ISO 3166-1 alpha-2 code such as DE")
        return value

    def agency_name(self, agency_id: str) -> str:
        """The name of an agency, or of a publisher that is not one; the ID when neither knows it."""
        entry = self.agencies.get(agency_id)
        return entry.name if entry else self.publishers.get(agency_id, agency_id)

    def country_name(self, code: str) -> str:
        """A country's first name in countries.toml ("Moldova" for MD); the code when it is unknown."""
        entry = self.countries.get(code)
        return entry.names[0] if entry else code

    def area_name(self, area_id: str) -> str:
        entry = self.areas.get(area_id)
        return entry.name if entry else area_id


def _read_toml(path: Path) -> dict[str, object]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError as error:
        raise TaxonomyError(f"{path}: file not found") from error
    except tomllib.TOMLDecodeError as error:
        raise TaxonomyError(f"{path}: not valid TOML: {error}") from error


def load_taxonomy(config_dir: Path) -> Taxonomy:
    taxonomy_path = config_dir / "taxonomy.toml"
    countries_path = config_dir / "countries.toml"
    data = _read_toml(taxonomy_path)
    countries = _read_toml(countries_path) if countries_path.exists() else {}
    data["countries"] = countries.get("countries", {})
    data["not_countries"] = countries.get("not_countries", [])
    try:
        return Taxonomy.model_validate(data)
    except ValidationError as error:
        problems = []
        for item in error.errors():
            loc = ".".join(str(part) for part in item["loc"])
            where = countries_path if loc.split(".")[0] in ("countries", "not_countries") else taxonomy_path
            problems.append(f"{where}: {loc}: {item['msg']}")
        raise TaxonomyError("\n".join(problems)) from error
