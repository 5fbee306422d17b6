"""ASGI entry for `uvicorn api.asgi:app` (several workers)."""

from api.app import create_app

app = create_app()
