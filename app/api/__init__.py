"""HTTP routers, one per resource; they translate HTTP to service calls and back."""

from fastapi import APIRouter

from app.api import health

router = APIRouter()
router.include_router(health.router)
