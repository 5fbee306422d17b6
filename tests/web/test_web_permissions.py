"""Every cell of the permission table (blockers/access.py, printed in docs/security.md), through
the real routes: for each user and each action on a blocker led by Sở Tài chính and supported
by Sở Nội vụ, the route answers as the table says — 404 when the blocker is not visible, 403
when it is but the action is not this user's, otherwise the action runs (issue 11.2: a
supporting department used to close and transfer the lead department's blocker)."""

from __future__ import annotations

import pytest
from sqlmodel import Session
from web_support import PASSWORD, World

from api.web.accounts import create_user
from blockers.access import PERMISSIONS, Action, Relation
from core.models import Blocker, BlockerStatus, BlockerSupport, Role

# user → (role, relation to the blocker)
USERS = {
    "cv_tc": (Role.staff, Relation.lead),
    "ld_tc": (Role.head, Relation.lead),
    "cv_nv": (Role.staff, Relation.support),
    "ld_nv": (Role.head, Relation.support),
    "cv_xd": (Role.staff, Relation.none),
    "ld_xd": (Role.head, Relation.none),
    "lanhdao": (Role.leader, Relation.province),
    "quantri": (Role.admin, Relation.province),
}


def _more_users(world: World) -> None:
    with Session(world.engine, expire_on_commit=False) as session:
        for username, role, department in (
            ("ld_nv", Role.head, "NV"),
            ("cv_xd", Role.staff, "XD"),
            ("ld_xd", Role.head, "XD"),
        ):
            world.users[username] = create_user(
                session, username=username, password=PASSWORD, role=role, department_code=department
            )
        session.commit()


def _blocker(world: World) -> tuple[Blocker, int]:
    """Led by TC, supported by NV, with a department answer to publish."""
    blocker = world.blocker(
        department_code="TC", status=BlockerStatus.in_progress, account_id=world.accounts["an"].id
    )
    with Session(world.engine) as session:
        session.add(BlockerSupport(blocker_id=blocker.id or 0, department_code="NV"))
        session.commit()
    return blocker, world.reply(blocker, "Trả lời của Sở.")


def _request(world: World, action: Action, blocker_id: int, message_id: int) -> tuple[str, dict[str, object]]:
    forms: dict[Action, tuple[str, dict[str, object]]] = {
        Action.note: ("note", {"text": "Ghi chú"}),
        Action.reply: ("reply", {"text": "Trả lời phần việc"}),
        Action.request_info: ("info", {"text": "Xin bổ sung"}),
        Action.change_status: ("status", {"status": "received"}),
        Action.assign: ("assign", {"assignee_id": world.users["cv_tc"].id}),
        Action.transfer: ("transfer", {"department_code": "XD", "reason": "Không thuộc thẩm quyền"}),
        Action.support: ("support", {"department_code": "XD"}),
        Action.close: ("close", {"reason": "Xong"}),
        Action.publish: ("publish", {"message_id": message_id}),
        Action.broadcast: ("broadcast", {"field": ""}),
    }
    route, form = forms[action]
    return f"/inbox/blockers/{blocker_id}/{route}", form


@pytest.mark.parametrize("username", list(USERS))
def test_every_cell_of_the_permission_table(login, world: World, username: str) -> None:
    _more_users(world)
    role, relation = USERS[username]
    allowed = PERMISSIONS.get((role, relation), frozenset())
    browser = login(username)
    for action in Action:
        blocker, message_id = _blocker(world)
        if action == Action.see:
            status = browser.get(f"/inbox/blockers/{blocker.id}").status_code
            assert status == (200 if action in allowed else 404), (username, action)
            continue
        url, form = _request(world, action, blocker.id or 0, message_id)
        status = browser.post(url, form).status_code
        expected = 303 if action in allowed else 404 if Action.see not in allowed else 403
        assert status == expected, (username, action, status)


def test_the_table_has_a_row_for_every_role_and_relation_used() -> None:
    assert {cell for cell in USERS.values()} == set(PERMISSIONS)
    lead, support = PERMISSIONS[(Role.staff, Relation.lead)], PERMISSIONS[(Role.staff, Relation.support)]
    assert support == {Action.see, Action.note, Action.reply}
    for action in (Action.close, Action.transfer, Action.assign, Action.publish):
        assert action not in support and action not in PERMISSIONS[(Role.head, Relation.support)]
    assert {Action.close, Action.transfer, Action.publish} <= lead


def test_a_supporters_answer_covers_its_part_and_leaves_the_blocker_with_the_lead(
    login, world: World
) -> None:
    _more_users(world)
    blocker, _ = _blocker(world)
    browser = login("cv_nv")
    assert (
        browser.post(
            f"/inbox/blockers/{blocker.id}/reply", {"text": "Sở Nội vụ: biên chế giữ nguyên."}
        ).status_code
        == 303
    )
    page = browser.get(f"/inbox/blockers/{blocker.id}").text
    assert "Đóng vướng mắc" not in page and "Chuyển Sở khác" not in page and "Lưu ghi chú" in page
    with Session(world.engine) as session:
        row = session.get(Blocker, blocker.id)
        assert row is not None and row.status == BlockerStatus.in_progress and row.department_code == "TC"


def test_the_table_says_what_issue_11_2_asks() -> None:
    """Pinned independently of the routes: a supporter sees, notes and answers its part and
    never changes the blocker's course; the lead department, leaders and admins do."""
    course = {Action.close, Action.transfer, Action.assign, Action.publish}
    for role in (Role.staff, Role.head):
        support = PERMISSIONS[(role, Relation.support)]
        assert {Action.see, Action.note, Action.reply} <= support
        assert not course & support
    assert course <= PERMISSIONS[(Role.head, Relation.lead)]
    assert course - {Action.assign} <= PERMISSIONS[(Role.staff, Relation.lead)]
    assert course <= PERMISSIONS[(Role.leader, Relation.province)]
    assert Action.note not in PERMISSIONS[(Role.leader, Relation.province)]
    assert course <= PERMISSIONS[(Role.admin, Relation.province)]
