"""Chat platform webhooks (filled by the transport work)."""

from fastapi import APIRouter

router = APIRouter()
