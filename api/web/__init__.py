"""Department inbox, leadership dashboard and administration pages (server-rendered)."""

from fastapi import APIRouter

router = APIRouter()
