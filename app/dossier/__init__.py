"""The investigator's dossier as a PDF: laid out from ``app.schemas.dossier.DossierFacts`` alone.

Pure: no database, no HTTP. Rooms: ``document`` (the page, its fonts and text blocks), ``pictures``
(the journey's timeline and the custody graph, drawn), ``render`` (the sections in order).
"""

from app.dossier.document import FontSpec
from app.dossier.render import render_dossier

__all__ = ["FontSpec", "render_dossier"]
