"""The cryptography orbit uses, in one place: AES-256-GCM and HMAC-SHA256.

Every sealed value is ``nonce (12 bytes) + ciphertext + tag``, bound by GCM's
associated data to the context it belongs to (which organisation, which stream, which
event), so a sealed value copied to another row does not open there.
"""

from __future__ import annotations

import hmac
import os
import secrets

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

KEY_BYTES = 32
_NONCE_BYTES = 12


class SealBrokenError(Exception):
    """A sealed value does not open with this key in this context."""


def new_key() -> bytes:
    return os.urandom(KEY_BYTES)


def new_stream_id() -> str:
    """A random stream id: it says nothing about whose stream it is."""
    return secrets.token_hex(16)


class Sealer:
    """Seals and opens values with one key.

    Its cipher is made once: making one costs several times more than sealing a short
    value, and an import seals values of the same participant again and again.
    """

    def __init__(self, key: bytes) -> None:
        self._cipher = AESGCM(key)

    def seal(self, plaintext: bytes, context: bytes) -> bytes:
        nonce = os.urandom(_NONCE_BYTES)
        return nonce + self._cipher.encrypt(nonce, plaintext, context)

    def unseal(self, sealed: bytes, context: bytes) -> bytes:
        try:
            return self._cipher.decrypt(sealed[:_NONCE_BYTES], sealed[_NONCE_BYTES:], context)
        except (InvalidTag, ValueError):
            raise SealBrokenError from None


def seal(key: bytes, plaintext: bytes, context: bytes) -> bytes:
    return Sealer(key).seal(plaintext, context)


def unseal(key: bytes, sealed: bytes, context: bytes) -> bytes:
    return Sealer(key).unseal(sealed, context)


def keyed_hash(key: bytes, message: bytes) -> str:
    return hmac.digest(key, message, "sha256").hex()
