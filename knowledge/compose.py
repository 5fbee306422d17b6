"""Optional: an LLM (OpenAI-compatible, via LangChain) words the answer from the retrieved
passages only. The citations are ours, not the model's: the sources of the extractive answer
are kept and listed under the text, so a model can never invent one. Any failure falls back
to the extractive answer."""

from __future__ import annotations

import logging

from core.settings import Settings
from knowledge.answer import Passage, citation
from knowledge.types import Answer

log = logging.getLogger(__name__)

SYSTEM = (
    "Bạn là trợ lý cho cán bộ xã, phường. Chỉ trả lời dựa trên các đoạn văn bản được cung cấp; "
    "không thêm thông tin ngoài. Trả lời ngắn gọn bằng tiếng Việt, nêu rõ căn cứ (Điều, khoản, "
    "văn bản) như trong các đoạn. Nếu các đoạn không trả lời được câu hỏi, hãy nói rõ là chưa "
    "tìm thấy hướng dẫn."
)


def _context(passages: list[Passage]) -> str:
    blocks = []
    for i, p in enumerate(passages, 1):
        title = f" ({p.chunk.article_title})" if p.chunk.article_title else ""
        blocks.append(f"[{i}] {citation(p.chunk, p.document)}{title}\n{p.chunk.text}")
    return "\n\n".join(blocks)


def compose_with_llm(settings: Settings, question: str, passages: list[Passage], fallback: Answer) -> Answer:
    from langchain_core.messages import HumanMessage, SystemMessage
    from langchain_openai import ChatOpenAI

    try:
        model = ChatOpenAI(
            base_url=settings.llm_base_url,
            model=settings.llm_model or "default",
            api_key=settings.llm_api_key.get_secret_value() or "none",  # type: ignore[arg-type]
            temperature=0,
            timeout=60,
            max_retries=1,
        )
        reply = model.invoke(
            [
                SystemMessage(content=SYSTEM),
                HumanMessage(content=f"Các đoạn văn bản:\n\n{_context(passages[:3])}\n\nCâu hỏi: {question}"),
            ]
        )
        text = str(reply.content).strip()
    except Exception as exc:  # an unreachable or broken model must not cost the answer
        log.warning("LLM composition failed, keeping the extractive answer: %s", type(exc).__name__)
        return fallback
    if not text:
        return fallback
    cited = "\n\nCăn cứ: " + "; ".join(s.citation for s in fallback.sources) + "."
    room = settings.answer_max_chars - len(cited)
    if len(text) > room:
        text = text[: room - 1].rsplit(" ", 1)[0] + "…"
    return Answer(
        question=question,
        text=text + cited,
        grounded=True,
        confidence=fallback.confidence,
        sources=fallback.sources,
    )
