"""The master key: one per store, kept in a file outside the database.

It wraps (encrypts) the per-participant data keys and each organisation's lookup key;
it never touches event data itself, so rotating it re-wraps a few keys and leaves the
events as they are.
"""

from __future__ import annotations

import base64
import os
import secrets
from pathlib import Path

from orbit_adapters.privacy.crypto import KEY_BYTES, keyed_hash, new_key
from orbit_adapters.store.engine import StoreError

_HEADER = "orbit-master-key/1"
_CHECK_MESSAGE = b"orbit: is this the store's master key? v1"


class KeyFileError(StoreError):
    """The master key file is missing, unreadable, malformed or not this store's."""


class KeyFileExistsError(KeyFileError):
    """A key file is already there: orbit never overwrites one."""


class MasterKey:
    def __init__(self, key: bytes, path: Path | None = None) -> None:
        if len(key) != KEY_BYTES:
            raise KeyFileError(f"a master key has {KEY_BYTES} bytes, not {len(key)}")
        self.key = key
        self.path = path
        self.open_to_others = False  # whether its file may be read by group or others

    @classmethod
    def generate(cls, path: Path | None = None) -> MasterKey:
        return cls(new_key(), path)

    @classmethod
    def read(cls, path: Path) -> MasterKey:
        try:
            text = path.read_text(encoding="ascii").strip()
            mode = path.stat().st_mode
        except FileNotFoundError:
            raise KeyFileError(f"master key file {path} does not exist") from None
        except (OSError, UnicodeDecodeError) as error:
            raise KeyFileError(f"cannot read master key file {path}: {error}") from None
        header, _, encoded = text.partition(" ")
        try:
            if header != _HEADER:
                raise ValueError
            key = cls(base64.b64decode(encoded, validate=True), path)
        except ValueError:
            raise KeyFileError(f"{path} is not an orbit master key file") from None
        key.open_to_others = bool(mode & 0o077)
        return key

    def write(self, path: Path) -> None:
        """Create ``path`` readable by its owner only; never overwrite a key.

        The key is written to a temporary file and linked into place, so that another
        process never reads a half-written key file (processes opening a new store at
        once all look for it).
        """
        encoded = base64.b64encode(self.key).decode("ascii")
        temporary = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
        try:
            descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            try:
                with os.fdopen(descriptor, "w", encoding="ascii") as out:
                    out.write(f"{_HEADER} {encoded}\n")
                    out.flush()
                    os.fsync(out.fileno())
                os.link(temporary, path)  # fails if path exists, unlike a rename
            finally:
                temporary.unlink(missing_ok=True)
        except FileExistsError:
            raise KeyFileExistsError(
                f"{path} exists already; orbit never overwrites a key"
            ) from None
        except OSError as error:
            raise KeyFileError(
                f"cannot create master key file {path}: {error.strerror or error}"
            ) from None
        self.path = path

    def check_value(self) -> str:
        """What the store keeps to recognise its master key (it reveals nothing of it)."""
        return keyed_hash(self.key, _CHECK_MESSAGE)
