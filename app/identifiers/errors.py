"""The one error type for malformed identifiers, and the normalisation step shared by all of them.

Every failure names the part of the identifier that is wrong (``field``) and a sentence saying
why (``reason``), so the API can tell a caller exactly what to fix instead of "invalid code".
"""

from __future__ import annotations

from collections.abc import Collection

__all__ = ["IdentifierError", "normalise"]


class IdentifierError(ValueError):
    """An identifier failed validation; ``field`` is the part to fix, ``reason`` says why."""

    field: str
    reason: str

    def __init__(self, field: str, reason: str) -> None:
        # Both go to ValueError so that pickling (cls(*args)) rebuilds the same error.
        super().__init__(field, reason)
        self.field = field
        self.reason = reason

    def __str__(self) -> str:
        return f"{self.field}: {self.reason}"

    def __repr__(self) -> str:
        return f"{type(self).__name__}(field={self.field!r}, reason={self.reason!r})"


def normalise(raw: str, alphabet: Collection[str], *, what: str, hint: str = "") -> str:
    """Strip and upper-case ``raw``, refusing any character outside ``alphabet``.

    Characters are checked one by one before upper-casing the whole string: ``str.upper`` maps
    some non-ASCII letters onto ASCII ones ('ı' -> 'I', 'ß' -> 'SS'), which would let look-alike
    characters slip through and shift positions.
    """
    text = raw.strip()
    for index, char in enumerate(text):
        if not (char.isascii() and char.upper() in alphabet):
            suffix = f" ({hint})" if hint else ""
            raise IdentifierError(
                "alphabet",
                f"character {char!r} at position {index + 1} is not allowed in a {what}{suffix}",
            )
    return text.upper()
