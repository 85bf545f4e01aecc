"""What an investigator's dossier states: the answers of the trace, findings and integrity services,
gathered once so the document is laid out from facts the API also gives one by one."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from app.schemas.findings import Case
from app.schemas.integrity import Verification
from app.schemas.ledger import ProofBundle
from app.schemas.trace import BatteryDetail, Trace


class CompanyName(BaseModel):
    """A registered company as the dossier names it: USCC and registered name."""

    uscc: str
    name: str | None
    maker_code: str | None = None


class DossierFacts(BaseModel):
    """Everything the PDF shows about one battery, and for whom and when it was made."""

    code: str
    generated_at: datetime
    requested_by: str = Field(description="the key's name and role, as the audit trail records them")
    battery: BatteryDetail = Field(description="as GET /v1/batteries/{code}")
    trace: Trace = Field(description="as GET /v1/batteries/{code}/trace: events and segments of the one replay")
    companies: dict[str, CompanyName] = Field(description="every company the events, segments and findings name")
    makers: list[CompanyName] = Field(description="registered companies holding the code's maker code")
    findings: list[Case] = Field(description="stored findings naming the battery, as GET /v1/findings?battery=")
    findings_scope: str = Field(description="which findings this key's dossier includes, in words")
    verification: Verification = Field(description="as GET /v1/batteries/{code}/verify")
    bundle: ProofBundle = Field(description="as GET /v1/batteries/{code}/proof, also attached to the PDF")
    public_key_id: str
