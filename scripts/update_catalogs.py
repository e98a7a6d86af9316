"""Bring the message catalogs up to date with the code: every message id written as
`Text("...")` gets an entry in each language's catalog (empty until translated, which the
tests refuse), and ids no longer written are dropped. Translations already made are kept.

    python scripts/update_catalogs.py
"""

from __future__ import annotations

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from reintegrate.adapters.message_ids import written_ids
from reintegrate.adapters.translation import DOMAIN, LANGUAGES, catalog_path


def main() -> None:
    written = written_ids()
    for language in LANGUAGES[1:]:
        path = catalog_path(language)
        old = Catalog(locale=language, domain=DOMAIN)
        if path.exists():
            with path.open("rb") as po:
                old = read_po(po, locale=language, domain=DOMAIN)
        new = Catalog(
            locale=language,
            domain=DOMAIN,
            project="reintegrate",
            copyright_holder="the reintegrate contributors",
            fuzzy=False,
            creation_date=old.creation_date,
            revision_date=old.revision_date,
        )
        for msgid in sorted(written):
            kept = old.get(msgid)
            string = kept.string if kept is not None else ""
            places = sorted({(file, 0) for file, _ in written[msgid]})
            new.add(msgid, string, locations=places, flags=("python-brace-format",))
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as po:
            write_po(po, new, width=100, sort_output=True, include_lineno=False)
        missing = sum(1 for m in new if m.id and not m.string)
        print(f"{language}: {len(written)} messages, {missing} to translate ({path})")


if __name__ == "__main__":
    main()
