"""The master key: one per store, kept in a file outside the database.

It wraps (encrypts) the per-participant data keys and each organisation's lookup key;
it never touches event data itself, so rotating it re-wraps a few keys and leaves the
events as they are.
"""

from __future__ import annotations

import base64
import os
from pathlib import Path

from orbit_adapters.privacy.crypto import KEY_BYTES, keyed_hash, new_key
from orbit_adapters.store.engine import StoreError

_HEADER = "orbit-master-key/1"
_CHECK_MESSAGE = b"orbit: is this the store's master key? v1"


class KeyFileError(StoreError):
    """The master key file is missing, unreadable, malformed or not this store's."""


class MasterKey:
    def __init__(self, key: bytes, path: Path | None = None) -> None:
        if len(key) != KEY_BYTES:
            raise KeyFileError(f"a master key has {KEY_BYTES} bytes, not {len(key)}")
        self.key = key
        self.path = path

    @classmethod
    def generate(cls, path: Path | None = None) -> MasterKey:
        return cls(new_key(), path)

    @classmethod
    def read(cls, path: Path) -> MasterKey:
        try:
            text = path.read_text(encoding="ascii").strip()
        except FileNotFoundError:
            raise KeyFileError(f"master key file {path} does not exist") from None
        except (OSError, UnicodeDecodeError) as error:
            raise KeyFileError(f"cannot read master key file {path}: {error}") from None
        header, _, encoded = text.partition(" ")
        try:
            if header != _HEADER:
                raise ValueError
            return cls(base64.b64decode(encoded, validate=True), path)
        except ValueError:
            raise KeyFileError(f"{path} is not an orbit master key file") from None

    def write(self, path: Path) -> None:
        """Create ``path`` readable by its owner only; never overwrite a key."""
        encoded = base64.b64encode(self.key).decode("ascii")
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            raise KeyFileError(f"{path} exists already; orbit never overwrites a key") from None
        except OSError as error:
            raise KeyFileError(f"cannot create master key file {path}: {error}") from None
        with os.fdopen(descriptor, "w", encoding="ascii") as out:
            out.write(f"{_HEADER} {encoded}\n")
            out.flush()
            os.fsync(out.fileno())
        self.path = path

    def check_value(self) -> str:
        """What the store keeps to recognise its master key (it reveals nothing of it)."""
        return keyed_hash(self.key, _CHECK_MESSAGE)
