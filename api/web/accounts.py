"""Web accounts (filled by the web work)."""

from sqlalchemy.engine import Engine


def ensure_first_admin(engine: Engine) -> None:
    """Print a one-time admin login when no admin exists."""
