"""EPCIS 2.0 capture: map JSON-LD documents onto native v1 events (pure, no I/O).

The API and the EPCIS file loader both call ``map_document`` and then hand the native events to
the one ingest path, so an EPCIS event is validated and stored exactly like a native one.
"""

from app.epcis.mapping import EpcisMapping, EpcisProblem, map_document
from app.epcis.uris import battery_code_from_epc
from app.epcis.vocab import BT_NAMESPACE

__all__ = ["BT_NAMESPACE", "EpcisMapping", "EpcisProblem", "battery_code_from_epc", "map_document"]
