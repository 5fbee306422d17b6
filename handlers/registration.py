"""The roster of officials and how a chat account is linked to one of them.

Two ways in: a one-time invite code issued by an administrator (any channel), or, on
Telegram, the official's own phone contact matching the roster. Phones are stored as
digits with a leading 0 ("0912345678"), whatever form the CSV or the platform used.

A code expires INVITE_CODE_TTL_DAYS after it was issued. Code guesses are limited per hour
per source (the web chat's network address, else the platform account: a fresh web-chat
cookie is no fresh start) and in all (INVITE_GUESSES_PER_HOUR, which caps guessing spread
over many addresses); an attempt is counted atomically before the code is looked at and given
back when the code was right.
"""

from __future__ import annotations

import csv
import re
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from sqlmodel import Session, col, select

from core.clock import utcnow
from core.limits import return_attempt, take_attempts
from core.models import ChatAccount, InviteCode, Person
from core.settings import Settings
from handlers import texts
from handlers.commands import squash

# No 0/O, 1/I/L: codes are read aloud and copied from paper.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
GUESS_WINDOW = timedelta(hours=1)
ALL_GUESSES_KEY = "invite:all"


class InviteRefused(Exception):
    """A code that is not even looked up, or no longer valid; the dialog says which."""


class TooManyGuesses(InviteRefused):
    pass


class InviteExpired(InviteRefused):
    pass


# Folded header spelling → field. Vietnamese or English, any case, with or without marks.
_HEADERS = {
    "hovaten": "name",
    "hoten": "name",
    "ten": "name",
    "name": "name",
    "fullname": "name",
    "xaphuong": "commune",
    "xa": "commune",
    "phuong": "commune",
    "donvi": "commune",
    "commune": "commune",
    "chucvu": "position",
    "position": "position",
    "sodienthoai": "phone",
    "dienthoai": "phone",
    "sdt": "phone",
    "phone": "phone",
}


@dataclass
class RosterReport:
    created: int = 0
    updated: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line in the file, message)


def normalize_phone(raw: str) -> str:
    """ "+84 912 345 678", "84912345678", "912345678" (Excel ate the 0) → "0912345678";
    "" when it cannot be a Vietnamese phone number."""
    digits = re.sub(r"\D", "", raw or "")
    if digits.startswith("84") and len(digits) in (11, 12):
        digits = "0" + digits[2:]
    elif not digits.startswith("0") and len(digits) in (9, 10):
        digits = "0" + digits
    return digits if re.fullmatch(r"0\d{9,10}", digits) else ""


def normalize_code(raw: str) -> str:
    return re.sub(r"[\s\-]", "", raw or "").upper()


def format_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}" if len(code) == CODE_LENGTH else code


def read_roster_csv(path: Path) -> list[dict[str, str]]:
    """Rows of a roster CSV (UTF-8, with or without BOM; comma or semicolon, as Excel saves)."""
    text = path.read_text(encoding="utf-8-sig")
    try:
        dialect: type[csv.Dialect] = csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=",;\t")
    except csv.Error:  # a single column, or an empty file
        dialect = csv.excel
    return [dict(row) for row in csv.DictReader(text.splitlines(), dialect=dialect)]


def _canonical(row: Mapping[str, str | None]) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in row.items():
        name = _HEADERS.get(squash(key or ""))
        if name and value is not None:
            out[name] = " ".join(str(value).split())
    return out


def import_roster(session: Session, *, rows: Iterable[Mapping[str, str | None]]) -> RosterReport:
    """Add or update officials. Line numbers count the header as line 1."""
    report = RosterReport()
    for index, raw in enumerate(rows):
        line = index + 2
        row = _canonical(raw)
        name, commune = row.get("name", ""), row.get("commune", "")
        phone = normalize_phone(row.get("phone", ""))
        if not name:
            report.errors.append((line, texts.ROSTER_NO_NAME))
            continue
        if not commune:
            report.errors.append((line, texts.ROSTER_NO_COMMUNE))
            continue
        if row.get("phone") and not phone:
            report.errors.append((line, texts.ROSTER_BAD_PHONE.format(phone=row["phone"])))
            continue
        person = _find_person(session, name=name, commune=commune, phone=phone)
        if person is None:
            session.add(Person(name=name, commune=commune, position=row.get("position", ""), phone=phone))
            report.created += 1
        else:
            person.name, person.commune, person.active = name, commune, True
            person.position = row.get("position", "") or person.position
            person.phone = phone or person.phone
            report.updated += 1
        session.flush()
    return report


def _find_person(session: Session, *, name: str, commune: str, phone: str) -> Person | None:
    """The same official: same phone, or (without a phone) same name in the same commune."""
    if phone:
        return session.exec(select(Person).where(Person.phone == phone)).first()
    for person in session.exec(select(Person).where(Person.phone == "")):
        if squash(person.name) == squash(name) and squash(person.commune) == squash(commune):
            return person
    return None


def issue_invite(session: Session, *, person_id: int) -> InviteCode:
    """A fresh one-time code for an official; earlier unused codes of theirs stop working."""
    if session.get(Person, person_id) is None:
        raise ValueError(f"no person {person_id}")
    for old in session.exec(
        select(InviteCode).where(InviteCode.person_id == person_id, col(InviteCode.used_at).is_(None))
    ):
        session.delete(old)
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        # Letters and digits both: then a bare code typed in the chat cannot be an ordinary word.
        mixed = any(c.isdigit() for c in code) and any(c.isalpha() for c in code)
        if mixed and session.get(InviteCode, code) is None:
            break
    invite = InviteCode(code=code, person_id=person_id)
    session.add(invite)
    session.flush()
    return invite


def guess_limits(account: ChatAccount, *, address: str, settings: Settings) -> list[tuple[str, int]]:
    source = f"ip:{address}" if address else f"{account.channel}:{account.user_id}"
    return [
        (f"invite:{source}", settings.invite_guesses_per_hour_per_source),
        (ALL_GUESSES_KEY, settings.invite_guesses_per_hour),
    ]


def redeem_invite(
    session: Session, *, code: str, account: ChatAccount, settings: Settings, address: str = ""
) -> Person | None:
    """Link the account to the code's official; None when the code is unknown or used.

    Raises TooManyGuesses when this source (or everyone) guessed too often this hour, and
    InviteExpired for a real code past its lifetime (which still counts as a guess)."""
    now = utcnow()
    limits = guess_limits(account, address=address, settings=settings)
    if take_attempts(session, limits=limits, window=GUESS_WINDOW, now=now) is not None:
        raise TooManyGuesses()
    invite = session.get(InviteCode, normalize_code(code))
    if invite is None or invite.used_at is not None:
        return None
    if now - invite.created_at > timedelta(days=settings.invite_code_ttl_days):
        raise InviteExpired()
    person = session.get(Person, invite.person_id)
    if person is None or not person.active:
        return None
    for key, _ in limits:  # a right code is not a guess
        return_attempt(session, key=key, window=GUESS_WINDOW, now=now)
    invite.used_at, invite.used_by_account_id = now, account.id
    account.person_id = person.id
    session.flush()
    return person


def link_by_phone(session: Session, *, account: ChatAccount, phone: str) -> Person | None:
    """Link the account to the active official with this phone; None when not on the roster."""
    normalized = normalize_phone(phone)
    if not normalized:
        return None
    person = session.exec(
        select(Person).where(Person.phone == normalized, col(Person.active).is_(True))
    ).first()
    if person is None:
        return None
    account.person_id = person.id
    session.flush()
    return person


def unlinked_people(session: Session) -> list[Person]:
    """Active officials with no chat account yet (who `troly invite --all` is for)."""
    linked = select(ChatAccount.person_id).where(col(ChatAccount.person_id).is_not(None))
    return list(
        session.exec(
            select(Person)
            .where(col(Person.active).is_(True), col(Person.id).not_in(linked))
            .order_by(Person.commune, Person.name)
        )
    )
