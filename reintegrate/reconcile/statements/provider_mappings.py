"""A provider's CSV column mapping saved under its name, and which mapping reads a CSV.

- A mapping is saved under the provider it names (`CsvMapping.provider`): 1 to 64 of
  A-Z a-z 0-9 _ . - starting with a letter or a digit, so that it can name the saved mapping
  in a path or on a command line. A mapping that names no provider is not saved.
- Saving again replaces the saved mapping; the journal keeps every version
  (`ProviderMappingSaved`).
- An import reads a CSV with the mapping it is given, or with the saved mapping of the
  provider it names, never both: naming a provider with no saved mapping is refused, and a
  CSV with neither is refused when it is read (`read_statement`).
"""

from __future__ import annotations

import datetime as dt
import re

import msgspec

from reintegrate import events as ev
from reintegrate.errors import NotFound, ValidationFailed
from reintegrate.reconcile.statements.csv_mapping import CsvMapping, mapping_problems
from reintegrate.texts import Text, each

PROVIDER_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}\Z")


class ProviderMapping(msgspec.Struct, frozen=True, kw_only=True):
    """A provider's saved mapping, as last saved."""

    provider: str
    mapping: str
    """The mapping as JSON, as the journal records it."""
    saved_by: str
    saved_at: dt.datetime
    seq: int
    """The journal entry that saved this version."""
    version: int = 1
    """How many times the mapping was saved."""

    def csv_mapping(self) -> CsvMapping:
        return msgspec.json.decode(self.mapping, type=CsvMapping)


def save_mapping(mapping: CsvMapping) -> ev.ProviderMappingSaved:
    """Save `mapping` under the provider it names."""
    name = mapping.provider
    if name is None:
        raise ValidationFailed(
            Text(
                "a mapping is saved under the name of its provider: this one names none "
                '(add provider = "...")'
            ),
            field="provider",
        )
    if not PROVIDER_NAME.match(name):
        raise ValidationFailed(
            Text(
                "a saved mapping's provider is 1-64 of A-Z a-z 0-9 _ . - starting with a letter "
                "or a digit; '{name}' is not",
                name=name,
            ),
            field="provider",
        )
    problems = mapping_problems(mapping)
    if problems:
        raise ValidationFailed(each(problems), field="mapping")
    return ev.ProviderMappingSaved(provider=name, mapping=msgspec.json.encode(mapping).decode())


def mapping_to_read(
    given: CsvMapping | None, saved_for: str | None, saved: ProviderMapping | None
) -> CsvMapping | None:
    """The mapping an import reads a CSV with: the one `given`, or the one saved for the
    provider named `saved_for` (`saved`, None when there is none)."""
    if saved_for is None:
        return given
    if given is not None:
        raise ValidationFailed(_not_both(given, saved_for), field="saved_mapping")
    if saved is None:
        raise NotFound(no_saved_mapping(saved_for), field="saved_mapping")
    return saved.csv_mapping()


def no_saved_mapping(provider: str) -> Text:
    return Text("no CSV column mapping is saved for provider '{provider}'", provider=provider)


def _not_both(given: CsvMapping, saved_for: str) -> Text:
    if given.provider is None:
        return Text(
            "give a mapping or the name of a provider whose mapping is saved, not both "
            "(mapping for no provider, saved_mapping {saved_for})",
            saved_for=saved_for,
        )
    return Text(
        "give a mapping or the name of a provider whose mapping is saved, not both "
        "(mapping for {provider}, saved_mapping {saved_for})",
        provider=given.provider,
        saved_for=saved_for,
    )


def evolve_mapping(
    current: ProviderMapping | None,
    event: ev.ProviderMappingSaved,
    actor: str,
    at: dt.datetime,
    seq: int,
) -> ProviderMapping:
    """The saved mapping after `event`, entry `seq` recorded by `actor` at `at`."""
    return ProviderMapping(
        provider=event.provider,
        mapping=event.mapping,
        saved_by=actor,
        saved_at=at,
        seq=seq,
        version=1 if current is None else current.version + 1,
    )
