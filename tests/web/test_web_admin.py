"""Administration: users, departments, roster and invites, canned replies, documents; each
administrative action leaves an AuditLog row."""

from __future__ import annotations

import io
import re
from datetime import date

from openpyxl import Workbook
from sqlmodel import Session, select
from web_support import World

from api.web.accounts import verify_password
from core.models import (
    AuditLog,
    CannedReply,
    Chunk,
    Department,
    Document,
    DocumentOrigin,
    DocumentStatus,
    InviteCode,
    Person,
    QuestionLog,
    Role,
    User,
)


def audit_actions(world: World) -> list[str]:
    with Session(world.engine) as session:
        return [a.action for a in session.exec(select(AuditLog).order_by(AuditLog.id)).all()]


def test_admin_creates_updates_and_resets_users(login, world: World) -> None:  # type: ignore[no-untyped-def]
    admin = login("quantri")
    admin.get("/admin/users")
    bad = admin.post(
        "/admin/users", {"username": "moi", "role": "staff", "department_code": "", "password": ""}
    )
    assert bad.status_code == 400 and "phải thuộc một Sở" in bad.text
    made = admin.post(
        "/admin/users",
        {
            "username": "moi",
            "full_name": "Trần Thị Mới",
            "role": "staff",
            "department_code": "XD",
            "password": "",
        },
    )
    assert made.status_code == 200 and made.headers["cache-control"] == "no-store"
    temporary = re.search(r"Mật khẩu tạm \(chỉ hiện một lần[^)]*\): (\S+)</p>", made.text)
    assert temporary
    assert temporary.group(1) not in admin.get("/admin/users").text  # shown once
    with Session(world.engine) as session:
        user = session.exec(select(User).where(User.username == "moi")).one()
        assert user.department_code == "XD" and user.must_change_password
        assert verify_password(user.password_hash, temporary.group(1))
        user_id = user.id
    admin.post(
        f"/admin/users/{user_id}",
        {"role": "head", "department_code": "XD", "full_name": "Trần Thị Mới", "active": "1"},
    )
    admin.post(f"/admin/users/{user_id}/password")
    # An admin cannot lock themself out.
    admin.post(
        f"/admin/users/{world.users['quantri'].id}", {"role": "staff", "department_code": "TC", "active": "1"}
    )
    with Session(world.engine) as session:
        assert session.get(User, user_id).role == Role.head  # type: ignore[union-attr]
        assert session.get(User, world.users["quantri"].id).role == Role.admin  # type: ignore[union-attr]
    assert audit_actions(world) == ["user.create", "user.update", "user.reset_password"]


def test_admin_edits_the_department_catalogue(login, world: World) -> None:  # type: ignore[no-untyped-def]
    admin = login("quantri")
    admin.get("/admin/departments")
    admin.post(
        "/admin/departments/XD",
        {
            "name": "Sở Xây dựng",
            "mandate": "Quy hoạch, xây dựng",
            "keywords": "giấy phép xây dựng, quy hoạch",
            "notify_chats": "telegram:-1001\nzalo:42",
            "deadline_days": "7",
            "active": "1",
        },
    )
    with Session(world.engine) as session:
        department = session.get(Department, "XD")
        assert department is not None
        assert department.keywords == ["giấy phép xây dựng", "quy hoạch"]
        assert department.notify_chats == ["telegram:-1001", "zalo:42"] and department.deadline_days == 7
    assert audit_actions(world) == ["department.update"]


def test_roster_import_csv_and_xlsx_and_invites(login, world: World) -> None:  # type: ignore[no-untyped-def]
    admin = login("quantri")
    admin.get("/admin/roster")
    csv_bytes = (
        "Họ và tên;Xã/phường;Chức vụ;Số điện thoại\nLê Văn Bình;Xã Đại Từ;Chủ tịch;0912345678\n".encode()
    )
    response = admin.post("/admin/roster", files={"file": ("ds.csv", csv_bytes, "text/csv")})
    assert response.status_code == 303
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Họ và tên", "Xã/phường", "Chức vụ", "Số điện thoại"])
    sheet.append(["Phạm Thị Cúc", "Phường Phổ Yên", "Văn phòng", "0987654321"])
    sheet.append(["", "Thiếu tên", "", ""])
    out = io.BytesIO()
    book.save(out)
    admin.post("/admin/roster", files={"file": ("ds.xlsx", out.getvalue(), "application/octet-stream")})
    page = admin.get("/admin/roster").text
    assert "Lê Văn Bình" in page and "Phạm Thị Cúc" in page and "thiếu họ và tên" in page
    with Session(world.engine) as session:
        person = session.exec(select(Person).where(Person.name == "Lê Văn Bình")).one()
    notice = admin.post(f"/admin/roster/{person.id}/invite").text
    with Session(world.engine) as session:
        invite = session.exec(select(InviteCode).where(InviteCode.person_id == person.id)).one()
    assert invite.code[:4] in notice and "14 ngày" in notice
    assert invite.code[:4] not in admin.get("/admin/roster").text  # shown once, never in the cookie
    assert audit_actions(world) == ["roster.import", "roster.import", "invite.issue"]


def test_heads_manage_their_own_canned_replies(login, world: World) -> None:  # type: ignore[no-untyped-def]
    head = login("ld_tc")
    head.get("/admin/canned")
    head.post("/admin/canned", {"department_code": "TC", "title": "Tiếp nhận", "text": "Sở đã tiếp nhận."})
    assert head.post("/admin/canned", {"department_code": "NV", "title": "x", "text": "y"}).status_code == 404
    with Session(world.engine) as session:
        replies = session.exec(select(CannedReply)).all()
        assert [(r.department_code, r.title) for r in replies] == [("TC", "Tiếp nhận")]
        theirs = CannedReply(department_code="NV", title="NV", text="NV")
        session.add(theirs)
        session.commit()
        theirs_id, ours_id = theirs.id, replies[0].id
    assert head.post(f"/admin/canned/{theirs_id}/delete").status_code == 404
    assert head.post(f"/admin/canned/{ours_id}/delete").status_code == 303
    assert audit_actions(world) == ["canned.create", "canned.delete"]


def test_documents_upload_split_status_reindex_delete(login, world: World, web_app) -> None:  # type: ignore[no-untyped-def]
    knowledge = web_app.state.ctx.knowledge
    admin = login("quantri")
    admin.get("/admin/documents")
    text = "QUYẾT ĐỊNH\nVề việc hướng dẫn\nĐiều 1. Phạm vi\n1. Áp dụng cho cấp xã.\n".encode()
    response = admin.post(
        "/admin/documents",
        {
            "title": "Hướng dẫn cấp xã",
            "number": "12/2025/QĐ-UBND",
            "doc_type": "Quyết định",
            "status": "in_force",
            "field": "Nội vụ",
            "department_code": "NV",
        },
        files={"file": ("huong-dan.txt", text, "text/plain")},
    )
    assert response.status_code == 303
    doc, origin = knowledge.added[0]
    assert origin == DocumentOrigin.upload
    assert (doc.meta.title, doc.meta.number, doc.meta.department_code) == (
        "Hướng dẫn cấp xã",
        "12/2025/QĐ-UBND",
        "NV",
    )
    stored = list((world.settings.uploads_dir / "documents").iterdir())
    assert len(stored) == 1 and stored[0].name.endswith("huong-dan.txt")
    with Session(world.engine) as session:
        document = session.exec(select(Document)).one()
    listing = admin.get("/admin/documents").text
    assert "Hướng dẫn cấp xã" in listing
    detail = admin.get(f"/admin/documents/{document.id}").text
    assert "Điều 1" in detail and "khoản 2" in detail  # the chunk's article and clause
    admin.post(
        f"/admin/documents/{document.id}",
        {"status": "expired", "department_code": "TC", "field": "Tài chính"},
    )
    with Session(world.engine) as session:
        updated = session.get(Document, document.id)
        assert (
            updated is not None
            and updated.status == DocumentStatus.expired
            and updated.department_code == "TC"
        )
    # Through the knowledge base, whose retrieval catalogue reloads the new status.
    assert knowledge.statuses == [(document.id, "expired")] and knowledge.changes == 1
    admin.post(f"/admin/documents/{document.id}/reindex")
    reloaded, _ = knowledge.added[1]
    assert reloaded.meta.number == "12/2025/QĐ-UBND" and reloaded.meta.status == "expired"
    admin.post(f"/admin/documents/{document.id}/delete")
    assert knowledge.deleted == [document.id]
    with Session(world.engine) as session:
        assert session.exec(select(Document)).all() == [] and session.exec(select(Chunk)).all() == []
    assert audit_actions(world) == [
        "document.upload",
        "document.update",
        "document.reindex",
        "document.delete",
    ]
    unsupported = admin.post(
        "/admin/documents", {"status": "in_force"}, files={"file": ("a.exe", b"MZ", "x")}
    )
    assert unsupported.status_code == 303 and "chưa được hỗ trợ" in admin.get("/admin/documents").text


def test_upload_with_validity_dates(login, world: World, web_app) -> None:  # type: ignore[no-untyped-def]
    knowledge = web_app.state.ctx.knowledge
    admin = login("quantri")
    admin.get("/admin/documents")
    text = "Điều 1. Phạm vi\n1. Áp dụng cho cấp xã.\n".encode()
    form = {
        "status": "in_force",
        "effective_from": "01/03/2027",
        "replaced_by": "",
        "source_url": "https://vbpl.vn/1",
    }
    bad = admin.post(
        "/admin/documents",
        {**form, "effective_to": "01/01/2027"},
        files={"file": ("a.txt", text, "text/plain")},
    )
    assert bad.status_code == 303 and knowledge.added == []
    assert "phải sau ngày có hiệu lực (01/03/2027)" in admin.get("/admin/documents").text
    admin.post("/admin/documents", form, files={"file": ("a.txt", text, "text/plain")})
    [(doc, _)] = knowledge.added
    assert (doc.meta.effective_from, doc.meta.source_url) == (date(2027, 3, 1), "https://vbpl.vn/1")


def test_missing_guidance_to_do_list(login, world: World) -> None:  # type: ignore[no-untyped-def]
    with Session(world.engine) as session:
        for question in ("Cấp lại giấy khai sinh bị mất?", "cap lai giay khai sinh bi mat", "Tách thửa đất?"):
            session.add(QuestionLog(question=question, grounded=False))
        session.commit()
    page = login("quantri").get("/admin/documents").text
    assert "Cấp lại giấy khai sinh bị mất?" in page and "× 2" in page and "Tách thửa đất?" in page
