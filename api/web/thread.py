"""One blocker's page (what it shows: blockers/thread.py) and its files, served only through
an authorised route."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, Response
from sqlmodel import Session

from api.web.access import visible_blocker
from api.web.deps import NotVisible, get_db, get_settings_dep, staff_or_above
from api.web.render import render
from blockers.thread import load_thread
from core.clock import utcnow
from core.models import BlockerAttachment, User
from core.settings import Settings

router = APIRouter()
INLINE_IMAGES = {"image/jpeg", "image/png", "image/gif", "image/webp"}
INLINE_AUDIO = {
    "audio/ogg",
    "audio/aac",
    "audio/mp4",
    "audio/mpeg",
    "audio/wav",
    "audio/webm",
}  # voice notes (webm: the web chat)


@router.get("/inbox/blockers/{blocker_id}")
def blocker_page(
    request: Request, blocker_id: int, user: User = Depends(staff_or_above), db: Session = Depends(get_db)
) -> Response:
    blocker = visible_blocker(db, user=user, blocker_id=blocker_id)
    context = load_thread(db, blocker=blocker, user=user)
    context.update(blocker=blocker, now=utcnow(), image_types=INLINE_IMAGES, audio_types=INLINE_AUDIO)
    return render(request, "blocker.html", context)


@router.get("/inbox/blockers/{blocker_id}/files/{attachment_id}")
def attachment_file(
    blocker_id: int,
    attachment_id: int,
    user: User = Depends(staff_or_above),
    db: Session = Depends(get_db),
    settings: Settings = Depends(get_settings_dep),
) -> Response:
    """Files are served only through this authorised route, never from a public directory."""
    blocker = visible_blocker(db, user=user, blocker_id=blocker_id)
    attachment = db.get(BlockerAttachment, attachment_id)
    if attachment is None or attachment.blocker_id != blocker.id:
        raise NotVisible()
    root = settings.uploads_dir.resolve()
    path = (root / attachment.path).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        raise NotVisible()
    inline = attachment.content_type in INLINE_IMAGES or attachment.content_type in INLINE_AUDIO
    return FileResponse(
        path,
        media_type=attachment.content_type if inline else "application/octet-stream",
        filename=attachment.filename,
        content_disposition_type="inline" if inline else "attachment",
        headers={
            "Content-Security-Policy": "default-src 'none'; sandbox",
            "Cache-Control": "private, max-age=3600",
        },
    )
