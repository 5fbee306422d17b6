"""Optional: an LLM (OpenAI-compatible, via LangChain) words the answer from the retrieved
passages only. The citations are ours, not the model's: the sources of the extractive answer
are kept and listed under the text, so a model can never invent one. Any failure falls back
to the extractive answer."""

from __future__ import annotations

import logging

from core.settings import Settings
from knowledge import texts
from knowledge.answer import Passage, citation
from knowledge.types import Answer

log = logging.getLogger(__name__)

SYSTEM = texts.LLM_SYSTEM


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
                HumanMessage(
                    content=texts.LLM_PROMPT.format(context=_context(passages[:3]), question=question)
                ),
            ]
        )
        text = str(reply.content).strip()
    except Exception as exc:  # an unreachable or broken model must not cost the answer
        log.warning("LLM composition failed, keeping the extractive answer: %s", type(exc).__name__)
        return fallback
    if not text:
        return fallback
    cited = texts.LEGAL_BASIS.format(citations="; ".join(s.citation for s in fallback.sources))
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
