"""Application assembly: the driver's lifespan, routers and error handlers."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from neo4j.exceptions import AuthError, DriverError, TransientError

from app.api import router as api_router
from app.apidocs import mount_docs
from app.config import Settings, get_settings
from app.db import Database
from app.errors import install_error_handlers
from app.ledger.signing import load_signer
from app.middleware import AuditRequests, BodyLimit, CausalReads
from app.openapi import install_openapi
from app.queries import registry
from app.security import AuditLog, KeyStore, RateLimiter
from app.services.dossier import font_problem
from app.services.findings import Keeper
from app.services.kept_flows import FlowKeeper
from app.services.ledger import Signing
from app.services.store import apply_schema
from app.ui import mount_ui

log = logging.getLogger(__name__)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        registry()  # a malformed query file stops start-up here, naming the file and the reason
        db = Database(settings)
        app.state.db = db
        app.state.keys = KeyStore(db, settings.key_cache_s)
        app.state.rate_limiter = RateLimiter(settings.rate_limit_per_minute, settings.rate_limit_burst)
        app.state.public_limiter = RateLimiter(
            settings.public_rate_limit_per_minute,
            settings.public_rate_limit_burst,
            max_buckets=settings.public_rate_buckets,
            what="this client address",
        )
        signer = load_signer(settings.log_key_path())
        app.state.signer = signer
        app.state.signing = Signing(signer, settings.receipt_proofs_max)
        app.state.audit = AuditLog(db, settings, signer)
        try:
            apply_schema(db)
        except (DriverError, AuthError, TransientError, OSError) as exc:
            log.warning("Neo4j not ready at start-up (%s); will retry on /readyz", exc)
        font = font_problem(settings.dossier_font_file)
        if font is not None:  # the rest of the API serves; only the dossier needs the font
            log.error("%s; GET /v1/batteries/{code}/dossier.pdf answers 503 until it is there", font)
        keeper = Keeper(db, settings) if settings.findings_sweep_s > 0 else None
        flows = FlowKeeper(db, settings.flows_refresh_s) if settings.flows_refresh_s > 0 else None
        yield
        if flows is not None:
            flows.close()
        if keeper is not None:
            keeper.close()
        app.state.audit.close()
        db.close()

    app = FastAPI(
        title="BatteryTrace",
        version="0.1.0",
        summary="Provenance of EV power batteries: GB/T 34014 identity, lifecycle events, custody.",
        lifespan=lifespan,
        docs_url=None,  # served from local files by mount_docs, not FastAPI's CDN pages
        redoc_url=None,
    )
    app.state.settings = settings
    install_error_handlers(app, settings.retry_after_s)
    install_openapi(app, settings)
    app.add_middleware(AuditRequests)
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(CausalReads)
    app.include_router(api_router)
    mount_ui(app)
    mount_docs(app)
    return app
