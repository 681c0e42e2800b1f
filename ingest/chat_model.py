"""The ``ChatModel`` port over a LangChain chat model (``init_chat_model``, any provider, or
LangChain's fake models in tests). Only wiring and this adapter's tests import it."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from playbook.ports import Message


def text_of(reply: Any) -> str:
    """The text of a LangChain message or chunk (providers may send a list of content
    blocks; only their text parts count)."""
    content = getattr(reply, "content", reply)
    if isinstance(content, list):
        return "".join(
            str(part.get("text", "")) if isinstance(part, dict) else str(part) for part in content
        )
    return str(content)


class LangChainChatModel:
    """Text in, text out over a LangChain ``BaseChatModel``."""

    def __init__(self, model: Any) -> None:
        self.model = model

    def invoke(self, messages: Sequence[Message]) -> str:
        """The model's whole reply."""
        return text_of(self.model.invoke(list(messages)))

    def stream(self, messages: Sequence[Message]) -> Iterator[str]:
        """The reply in pieces as the model writes it."""
        for piece in self.model.stream(list(messages)):
            yield text_of(piece)
