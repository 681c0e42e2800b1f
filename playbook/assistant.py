"""Answers grounded in what the asker may read, through LangChain.

Privacy and permission come first, in this order: the question is redacted with the engine
(so a name typed into it never reaches a model), retrieval runs inside the asker's permission
scope, and only those redacted passages, fenced as quoted data, are put in the prompt.
Issue 5 builds the Ask page, streaming and the extractive fallback on top of this.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from playbook.models import Principal, SearchHit
from playbook.permissions import read_scope
from playbook.ports import Redactor
from playbook.retrieval import Retriever
from prompts import template


@dataclass(frozen=True)
class Answer:
    """Model output (plain text, never HTML) and the passages it may cite, numbered from 1."""

    text: str
    passages: tuple[SearchHit, ...]


def fence(n: int, hit: SearchHit) -> str:
    """One passage as quoted data: numbered, titled, and fenced so it cannot pose as rules."""
    body = hit.text.replace("```", "'''")
    return f"[{n}] {hit.title}\n```text\n{body}\n```"


def messages(question: str, hits: list[SearchHit]) -> list[tuple[str, str]]:
    """The chat messages for a (redacted) question over (redacted) passages."""
    t = template("ask")
    passages = "\n\n".join(fence(n, h) for n, h in enumerate(hits, start=1)) or "(none)"
    return [("system", t.system), ("human", t.user.format(question=question, passages=passages))]


class Assistant:
    """Asks a chat model about the playbook, within the asker's permission scope."""

    def __init__(self, retriever: Retriever, redactor: Redactor, llm: Any, k: int = 6) -> None:
        self.retriever = retriever
        self.redactor = redactor
        self.llm = llm
        self.k = k

    def ask(self, principal: Principal, question: str) -> Answer:
        """Redact the question, retrieve what the asker may read, and ask the model."""
        safe_question = self.redactor.redact_batch([question])[0].text
        hits = self.retriever.search(safe_question, read_scope(principal), self.k)
        reply = self.llm.invoke(messages(safe_question, hits))
        return Answer(str(getattr(reply, "content", reply)), tuple(hits))
