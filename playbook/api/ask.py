"""``POST /ask``: a cited answer from what the token's user may read (redacted passages
only). Language-model requests count against the user's shared hourly limit; at the limit
the answer is extractive and ``note`` says so, as on the Ask page."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from playbook.api.deps import App, Reader
from playbook.services.ask import MAX_QUESTION_CHARS

router = APIRouter(tags=["ask"])


class Question(BaseModel):
    """A question (follow-ups are the Ask page's: a thread's context is not taken here)."""

    question: str = Field(min_length=1, max_length=MAX_QUESTION_CHARS)


@router.post("/ask", summary="Ask the playbook")
def ask(c: App, who: Reader, body: Question) -> dict[str, Any]:
    """The answer, the redacted question it was searched as, and its numbered sources."""
    if not body.question.strip():
        raise ValueError("the question is empty")
    answer = c.assistant.ask(who, body.question)
    return {
        "answer": answer.text,
        "question": answer.question,
        "mode": answer.mode,
        "grounded": answer.grounded,
        "note": answer.note,
        "sources": [
            {"n": n, "document_id": h.document_id, "title": h.title, "kind": h.kind}
            for n, h in enumerate(answer.passages, start=1)
        ],
    }
