"""Password hashing with argon2id and the password rules.

The parameters are OWASP's first argon2id configuration (Password Storage Cheat Sheet): 19 MiB of memory,
2 passes, 1 lane. argon2-cffi's default, RFC 9106's low-memory profile, takes 64 MiB for each hash, and a worker
hashes for up to four log-ins at once, which anyone can send: that put 256 MB on a worker's peak (bench/README.md,
"Issue 14: the fourth round"). A hash made with other parameters is still verified, with its own, and is replaced
at the next log-in (`needs_rehash`). Until then, an account with a hash of the old 64 MiB profile takes longer
to refuse than an unknown address (about 270 ms against 40 here).
"""
from functools import cache
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)

MIN_LENGTH = 8
MAX_LENGTH = 256


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Whether the password matches. Without a hash (no such account, or no password set) the password is
    checked against a hash of nothing anyone knows: the answer takes as long either way, so its time does not
    tell which e-mail addresses have an account."""
    try:
        return _hasher.verify(password_hash or decoy_hash(), password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


def decoy_hash() -> str:
    """A hash of a random secret, made with the current parameters once per process."""
    return _decoy_for(_hasher)


@cache
def _decoy_for(hasher: PasswordHasher) -> str:
    return hasher.hash(secrets.token_urlsafe(32))


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)
