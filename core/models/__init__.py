"""SQLModel tables, one module per domain. Import from here: `from core.models import Blocker`.

Datetime fields are annotated `NaiveDatetime` (naive UTC, see core/clock.py): for a plain
`datetime` the installed sqlmodel picks a column type that rejects naive values on insert.
"""

from core.models.accounts import AuditLog, KeyValue, Role, User
from core.models.authority import AuthorityReference, AuthorityTransfer
from core.models.blockers import (
    Blocker,
    BlockerAttachment,
    BlockerEvent,
    BlockerFollower,
    BlockerMessage,
    BlockerSequence,
    BlockerStatus,
    BlockerSupport,
    Broadcast,
    CannedReply,
    DeliveryReason,
    Department,
    EventKind,
    ExtractionStatus,
    GuidanceDelivery,
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
from core.models.security import RateCounter, SessionEnd, WebSession

__all__ = [
    "AuditLog",
    "AuthorityReference",
    "AuthorityTransfer",
    "Blocker",
    "BlockerAttachment",
    "BlockerEvent",
    "BlockerFollower",
    "BlockerMessage",
    "BlockerSequence",
    "BlockerStatus",
    "BlockerSupport",
    "Broadcast",
    "CannedReply",
    "ChatAccount",
    "Chunk",
    "Conversation",
    "DeliveryReason",
    "DeliveryStatus",
    "Department",
    "Document",
    "DocumentOrigin",
    "DocumentStatus",
    "EventKind",
    "ExtractionStatus",
    "Feedback",
    "GuidanceDelivery",
    "InboundStatus",
    "InboundUpdate",
    "InviteCode",
    "KeyValue",
    "MessageKind",
    "OutboxMessage",
    "Person",
    "QuestionLog",
    "RateCounter",
    "Role",
    "SessionEnd",
    "User",
    "WebSession",
]
