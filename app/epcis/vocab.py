"""CBV 2.0 vocabulary terms in the three spellings EPCIS 2.0 documents use.

A CBV term may arrive as the bare word the GS1 JSON-LD context expands (``shipping``), as the
EPCIS 1.x URN (``urn:epcglobal:cbv:bizstep:shipping``) or as the GS1 web vocabulary URI
(``https://ref.gs1.org/cbv/BizStep-shipping``). All three mean the same term, so the mapper
reduces each to the bare word before deciding anything.
"""

from __future__ import annotations

from typing import Final

__all__ = [
    "BIZSTEP",
    "BT_NAMESPACE",
    "DISPOSITION",
    "ERROR_REASON",
    "REPURPOSING_STEP",
    "SOURCE_DEST_TYPE",
    "Vocabulary",
    "cbv_term",
]

#: Our JSON-LD namespace for extension fields (bt:reporter, bt:chemistry, ...) and for the one
#: business step CBV lacks (repurposing). Documents declare a prefix for it in their @context.
BT_NAMESPACE: Final = "https://id.batterytrace.org/epcis#"
#: Our extension business step for second-life re-coding, as the expanded IRI.
REPURPOSING_STEP: Final = f"{BT_NAMESPACE}repurposing"


class Vocabulary:
    """One CBV vocabulary: its URN prefix and its GS1 web-vocabulary prefix."""

    def __init__(self, name: str, urn_prefix: str, web_prefix: str) -> None:
        self.name = name
        self.urn_prefix = urn_prefix
        self.web_prefix = web_prefix

    def spellings(self, word: str) -> str:
        """The three accepted spellings of ``word``, for problem sentences."""
        return f"'{word}', '{self.urn_prefix}{word}' or '{self.web_prefix}{word}'"


BIZSTEP: Final = Vocabulary("bizStep", "urn:epcglobal:cbv:bizstep:", "https://ref.gs1.org/cbv/BizStep-")
DISPOSITION: Final = Vocabulary("disposition", "urn:epcglobal:cbv:disp:", "https://ref.gs1.org/cbv/Disp-")
ERROR_REASON: Final = Vocabulary("reason", "urn:epcglobal:cbv:er:", "https://ref.gs1.org/cbv/ER-")
SOURCE_DEST_TYPE: Final = Vocabulary("type", "urn:epcglobal:cbv:sdt:", "https://ref.gs1.org/cbv/SDT-")


def cbv_term(value: str, vocabulary: Vocabulary) -> str:
    """The bare CBV word for ``value``; values outside CBV come back unchanged.

    Bare words are case-sensitive in CBV, and so is the web URI; the URN prefix is compared
    without case, as URN schemes and namespace identifiers are (RFC 8141).
    """
    if value[: len(vocabulary.urn_prefix)].lower() == vocabulary.urn_prefix:
        return value[len(vocabulary.urn_prefix) :]
    if value.startswith(vocabulary.web_prefix):
        return value[len(vocabulary.web_prefix) :]
    return value
