"""Which language a reader gets: Accept-Language over HTTP, LC_ALL or LANG on the command line,
English when none of the three is asked for."""

from __future__ import annotations

import pytest

from reintegrate.adapters.translation import language_of_env, negotiate


@pytest.mark.parametrize(
    ("header", "language"),
    [
        (None, "en"),
        ("", "en"),
        ("fr", "fr"),
        ("fr-SN, fr;q=0.9, en;q=0.8", "fr"),
        ("es-419", "es"),
        ("de, es;q=0.5", "es"),
        ("de, it", "en"),
        ("en;q=0.5, fr;q=0.5", "en"),
        ("en;q=0.4, fr;q=0.6", "fr"),
        ("fr;q=0", "en"),
        ("fr;q=abc, es", "es"),
        ("*", "en"),
    ],
)
def test_the_most_preferred_language_written_is_chosen(header: str | None, language: str) -> None:
    assert negotiate(header) == language


@pytest.mark.parametrize(
    ("lang", "lc_all", "language"),
    [
        ("fr_SN.UTF-8", None, "fr"),
        ("en_GB.UTF-8", "es_ES.UTF-8", "es"),
        ("es_ES.UTF-8", "de_DE.UTF-8", "en"),
        ("C.UTF-8", None, "en"),
        (None, None, "en"),
    ],
)
def test_the_environment_names_the_command_lines_language(
    lang: str | None, lc_all: str | None, language: str
) -> None:
    assert language_of_env(lang, lc_all) == language
