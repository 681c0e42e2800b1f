"""The chat-model seam: text in, text out."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Protocol

Message = tuple[str, str]  # (role, text); role is "system", "human" or "ai"


class ChatModel(Protocol):
    """A language model that answers a conversation with text (optional: without one the
    assistant is extractive). Text in and out only, so prompts are inspectable and model
    output is never trusted as anything but text."""

    def invoke(self, messages: Sequence[Message]) -> str:
        """The model's reply to the conversation."""
        ...

    def stream(self, messages: Sequence[Message]) -> Iterator[str]:
        """The reply in pieces, as the model writes it."""
        ...
