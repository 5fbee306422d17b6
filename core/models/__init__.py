"""SQLModel tables, one module per domain. Import from here: `from core.models import Blocker`.

Datetime fields are annotated `NaiveDatetime` (naive UTC, see core/clock.py): for a plain
`datetime` the installed sqlmodel picks a column type that rejects naive values on insert.
"""

from core.models.accounts import AuditLog, KeyValue, LoginAttempt, Role, User
from core.models.blockers import (
    Blocker,
    BlockerAttachment,
    BlockerEvent,
    BlockerFollower,
    BlockerMessage,
    BlockerSequence,
    BlockerStatus,
    BlockerSupport,
    CannedReply,
    Department,
    EventKind,
    ExtractionStatus,
    MessageKind,
)
from core.models.chat import (
    ChatAccount,
    Conversation,
    DeliveryStatus,
    Feedback,
    InboundStatus,
    InboundUpdate,
    InviteCode,
    OutboxMessage,
    Person,
    QuestionLog,
)
from core.models.knowledge import Chunk, Document, DocumentOrigin, DocumentStatus

__all__ = [
    "AuditLog",
    "Blocker",
    "BlockerAttachment",
    "BlockerEvent",
    "BlockerFollower",
    "BlockerMessage",
    "BlockerSequence",
    "BlockerStatus",
    "BlockerSupport",
    "CannedReply",
    "ChatAccount",
    "Chunk",
    "Conversation",
    "DeliveryStatus",
    "Department",
    "Document",
    "DocumentOrigin",
    "DocumentStatus",
    "EventKind",
    "ExtractionStatus",
    "Feedback",
    "InboundStatus",
    "InboundUpdate",
    "InviteCode",
    "KeyValue",
    "LoginAttempt",
    "MessageKind",
    "OutboxMessage",
    "Person",
    "QuestionLog",
    "Role",
    "User",
]
