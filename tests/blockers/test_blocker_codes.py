from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from blockers.codes import next_code
from blockers.lifecycle import file_blocker
from core.models import Blocker, ChatAccount, Department, Person


def test_codes_count_up_per_year(session: Session) -> None:
    assert next_code(session, year=2025) == "VM-2025-000001"
    assert next_code(session, year=2025) == "VM-2025-000002"
    assert next_code(session, year=2026) == "VM-2026-000001"
    session.rollback()  # not stored: the numbers are given back with the transaction
    assert next_code(session, year=2025) == "VM-2025-000001"


def test_two_blockers_filed_at_the_same_instant_get_distinct_codes(
    engine: Engine,
    session: Session,
    departments: dict[str, Department],
    make_official: Callable[..., tuple[Person, ChatAccount]],
) -> None:
    officials = [make_official(user_id=str(600 + i), commune=f"Xã {i}") for i in range(2)]
    ids = [(p.id, a.id) for p, a in officials]
    barrier = threading.Barrier(len(ids))
    errors: list[BaseException] = []
    now = datetime(2025, 7, 14, 2, 0)

    def file(person_id: int, account_id: int) -> None:
        try:
            with Session(engine) as own:
                person, account = own.get(Person, person_id), own.get(ChatAccount, account_id)
                assert person is not None and account is not None
                barrier.wait(timeout=10)
                file_blocker(
                    own,
                    account=account,
                    person=person,
                    description="Xã chưa được giao dự toán ngân sách",
                    department_code="TC",
                    now=now,
                )
                own.commit()
        except BaseException as error:  # reported below: a thread's failure must fail the test
            errors.append(error)

    threads = [threading.Thread(target=file, args=pair) for pair in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    session.expire_all()
    codes = sorted(b.code for b in session.exec(select(Blocker)))
    assert codes == ["VM-2025-000001", "VM-2025-000002"]
