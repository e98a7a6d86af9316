"""Evidence files: what is accepted, and the content hash that names a file.

A file is kept only if it is a PDF, JPEG or PNG (recognised by its first bytes, which must
agree with the declared media type), not empty and at most `MAX_BYTES`. Files are named by
their SHA-256: the same file submitted twice, for any grant, is refused as a duplicate (a
receipt proves one purchase once).
"""

from __future__ import annotations

import hashlib

from reintegrate.errors import DomainError
from reintegrate.texts import Text

MAX_BYTES = 5 * 1024 * 1024
SIGNATURES: dict[str, bytes] = {
    "application/pdf": b"%PDF-",
    "image/jpeg": b"\xff\xd8\xff",
    "image/png": b"\x89PNG\r\n\x1a\n",
}


class EmptyFile(DomainError):
    type = "evidence-empty"


class FileTooLarge(DomainError):
    type = "evidence-too-large"


class UnsupportedFileType(DomainError):
    type = "evidence-type-unsupported"


class DuplicateEvidence(DomainError):
    type = "evidence-duplicate"


def file_hash(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def declared_type(media_type: str) -> str:
    """A media type without its parameters, in lower case (`Image/PNG; x=1` -> `image/png`)."""
    return media_type.split(";", 1)[0].strip().lower()


def check_file(content: bytes, media_type: str) -> str:
    """The file's content hash, if it is acceptable evidence; a specific error otherwise."""
    if not content:
        raise EmptyFile(Text("the file is empty"), field="file")
    if len(content) > MAX_BYTES:
        raise FileTooLarge(
            Text(
                "the file has {size} bytes; evidence files are at most {most} bytes",
                size=len(content),
                most=MAX_BYTES,
            ),
            field="file",
            details={
                "limit": "evidence file size in bytes",
                "size": MAX_BYTES,
                "requested": len(content),
            },
        )
    declared = declared_type(media_type)
    signature = SIGNATURES.get(declared)
    allowed = ", ".join(sorted(SIGNATURES))
    if signature is None:
        raise UnsupportedFileType(
            Text(
                "'{media_type}' files are not accepted as evidence (accepted: {allowed})",
                media_type=declared,
                allowed=allowed,
            ),
            field="file",
            details={"media_type": declared, "accepted": sorted(SIGNATURES)},
        )
    if not content.startswith(signature):
        raise UnsupportedFileType(
            Text(
                "the file is declared {media_type} but its content is not {media_type}",
                media_type=declared,
            ),
            field="file",
            details={"media_type": declared, "accepted": sorted(SIGNATURES)},
        )
    return file_hash(content)


def refuse_duplicate(known: bool, digest: str) -> None:
    if known:
        raise DuplicateEvidence(
            Text("this file (sha256 {digest}) was submitted as evidence before", digest=digest),
            field="file",
            details={"file_hash": digest},
        )
