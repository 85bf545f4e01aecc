"""QR codes of Digital Link URIs, as SVG or PNG, for labels and screens."""

from __future__ import annotations

import io
from typing import Final, Literal

import segno

QrFormat = Literal["svg", "png"]
MEDIA_TYPES: Final[dict[str, str]] = {"svg": "image/svg+xml", "png": "image/png"}


def qr_image(data: str, fmt: QrFormat) -> bytes:
    """The QR code of ``data``: error correction M (a label survives a scratch), the 4-module quiet
    zone the QR standard asks for, 8 pixels a module in the PNG (scanners and printers scale the SVG)."""
    code = segno.make_qr(data, error="m", boost_error=False)
    out = io.BytesIO()
    if fmt == "svg":
        code.save(out, kind="svg", border=4, scale=8, xmldecl=True, title=data)
    else:
        code.save(out, kind="png", border=4, scale=8)
    return out.getvalue()
