"""The built-in web chat at /chat (filled by the transport work)."""

from fastapi import APIRouter

router = APIRouter()
