"""Dialogs at the Dispatcher level, continued: who the account is (contact sharing, unblocking),
payload sizes, and what survives a restart or the end of a dialog."""

from __future__ import annotations

from sqlmodel import select

from bot.channel import Reply
from core.models import ChatAccount, Conversation


def test_account_follows_chat_and_unblocks(make_chat, session):
    chat = make_chat("telegram")
    chat.send("/start")
    account = session.exec(select(ChatAccount)).one()
    account.blocked = True
    session.commit()
    chat.send("/start")
    session.refresh(account)
    assert not account.blocked
    assert account.display_name == "Cán bộ thử"


def test_register_by_shared_contact_on_telegram(make_chat, official, session):
    chat = make_chat("telegram")
    chat.send("/start")
    chat.share_contact("+84 912 345 678")
    assert "Đăng ký thành công" in chat.text
    assert session.exec(select(ChatAccount)).one().person_id == official.id


def test_contact_not_on_roster(make_chat, official):
    chat = make_chat("telegram")
    chat.share_contact("+84987654321")
    assert "chưa có trong danh sách cán bộ" in chat.text
    assert "Nhập mã đăng ký" in chat.labels


def test_typed_number_for_contact_button_asks_to_press_it(make_chat):
    chat = make_chat("telegram")
    chat.send("/start")
    assert chat.payloads[-1] == "@request_contact"
    chat.send("3")  # "Chia sẻ số điện thoại" is a keyboard key: typing its number cannot share
    assert "bấm nút" in chat.text


def test_long_chunk_id_still_fits_telegram_payload(make_chat, guidance, session):
    guidance.chunk_id = "c" * 64
    chat = make_chat("telegram")
    chat.send("Đăng ký thường trú cần gì?")
    assert all(len(p.encode()) <= 64 for p in chat.payloads)
    chat.press("Xem toàn văn")
    assert chat.text.startswith("Điều 21.")


def test_default_dispatcher_registers_the_blocker_flows(settings, guidance):
    from handlers.dispatch import Dispatcher

    dispatcher = Dispatcher(settings=settings, knowledge=guidance)
    assert {name: flow.name for name, flow in dispatcher.flows.items()} == {"rp": "rp", "my": "my"}


def test_dialog_survives_a_restart_and_flows_never_see_reserved_keys(
    chat, make_chat, make_dispatcher, invite_code, reporting, session
):
    chat.register(invite_code)
    chat.send("/baocao")
    restarted = make_chat(chat.channel.value, via=make_dispatcher())  # a new process, same database
    restarted.send("Trụ sở xuống cấp")
    assert reporting.handled == ["Trụ sở xuống cấp"]
    seen: list[dict] = []
    reporting.handle = lambda turn: seen.append(dict(turn.state.data)) or []  # type: ignore[method-assign]
    restarted.send("Thêm thông tin")
    assert seen == [{"text": ""}]
    account = session.exec(select(ChatAccount)).one()
    stored = session.get(Conversation, account.id).data
    assert stored["text"] == "" and "_flood" in stored and "_choices" in stored


def test_numbers_of_a_finished_dialog_are_dropped(chat, invite_code, reporting):
    def finish(turn):
        turn.close()
        return [Reply(text="Đã hủy, vướng mắc chưa được gửi.")]

    chat.register(invite_code)
    chat.send("/baocao")  # shows "1. Sở Tài chính"
    reporting.handle = finish  # type: ignore[method-assign]
    chat.send("Thôi không gửi nữa")
    chat.send("1")  # not the reporting list any more: the main menu's "Hỏi thủ tục"
    assert "Mời anh/chị gõ câu hỏi" in chat.text
