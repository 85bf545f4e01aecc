"""HTTP routers, one per resource; they translate HTTP to service calls and back."""

from fastapi import APIRouter

from app.api import (
    admin,
    analytics,
    batteries,
    compliance,
    dossier,
    epcis,
    events,
    findings,
    health,
    leakage,
    log,
    passport,
    public,
    registry,
    search,
    vocabularies,
)

router = APIRouter()
router.include_router(health.router)
router.include_router(events.router)
router.include_router(epcis.router)
router.include_router(compliance.router)
router.include_router(findings.router)
router.include_router(registry.router)
router.include_router(batteries.router)
router.include_router(search.router)
router.include_router(passport.router)
router.include_router(passport.public)
router.include_router(public.router)
router.include_router(dossier.router)
router.include_router(admin.router)
router.include_router(analytics.router)
router.include_router(leakage.router)
router.include_router(vocabularies.router)
router.include_router(log.router)
