"""What a pulse survey accepts: a title and 1 to 10 questions when it is drafted, and one
answer per scale question (1 to 5) plus optional open answers when it is answered. Each
refusal is a sentence naming the fix; nothing is stored when one is raised."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping, Sequence

from playbook.ports.surveys import SCALE_POINTS, AnswerValue, Question, QuestionKind
from playbook.services.programme_base import ProgrammeError, clean

MAX_TITLE = 120
MAX_QUESTION = 300
MAX_LABEL = 40
MAX_QUESTIONS = 10
MAX_OPEN = 1000
DEFAULT_LOW = "Not at all"
DEFAULT_HIGH = "Completely"


class SurveyError(ProgrammeError):
    """A survey request that cannot be done as asked; the message names the fix."""


def token_for(key: bytes, round_id: str, user_id: str) -> str:
    """The one-time token a person uses for a round: a keyed hash of both, so the stored
    token names nobody without the installation's key, and one person's tokens for two
    rounds share nothing."""
    message = b"survey-token\x00" + round_id.encode() + b"\x00" + user_id.encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def checked_questions(questions: Sequence[Question]) -> list[Question]:
    """The questions stripped and checked, scale ends labelled (defaults when empty).

    Raises:
        SurveyError: None or more than ten, an empty or over-long text or label.
    """
    if not questions:
        raise SurveyError("a survey needs at least one question; add one and try again")
    if len(questions) > MAX_QUESTIONS:
        raise SurveyError(
            f"a pulse survey has at most {MAX_QUESTIONS} questions; this one has "
            f"{len(questions)} (keep it short: people answer short ones)"
        )
    out = []
    for n, q in enumerate(questions, start=1):
        try:
            text = clean(q.text, f"question {n}", MAX_QUESTION)
            if q.kind is QuestionKind.SCALE:
                low = clean(q.low, f"question {n}'s low end", MAX_LABEL, required=False)
                high = clean(q.high, f"question {n}'s high end", MAX_LABEL, required=False)
                out.append(Question(q.kind, text, low or DEFAULT_LOW, high or DEFAULT_HIGH))
            else:
                out.append(Question(QuestionKind.OPEN, text))
        except ProgrammeError as exc:
            raise SurveyError(str(exc)) from None
    return out


def checked_title(title: str | None) -> str:
    """The title stripped and checked (``SurveyError`` when empty or too long)."""
    try:
        return clean(title, "the survey's title", MAX_TITLE)
    except ProgrammeError as exc:
        raise SurveyError(str(exc)) from None


def _scale(value: object, n: int) -> int:
    if value is None:
        raise SurveyError(f"question {n} needs an answer from 1 to 5")
    if isinstance(value, bool):  # True is an int to Python, never a scale point
        value = str(value)
    if isinstance(value, str):
        typed = value.strip()
        if not typed:
            raise SurveyError(f"question {n} needs an answer from 1 to 5")
        try:
            value = int(typed)
        except ValueError:
            raise SurveyError(
                f"question {n} takes a whole number from 1 to 5, not {typed[:20]!r}"
            ) from None
    if not isinstance(value, int) or value not in SCALE_POINTS:
        raise SurveyError(f"question {n} takes a whole number from 1 to 5, not {value!r}")
    return value


def checked_answers(
    questions: Sequence[Question], answers: Mapping[int, object]
) -> tuple[dict[int, int], dict[int, str]]:
    """A ballot checked against its questions (positions from 1): every scale question
    answered 1 to 5; open answers optional, at most ``MAX_OPEN`` characters.

    Returns:
        The scale answers and the non-empty open answers (raw: redact before storing).

    Raises:
        SurveyError: An unknown question, a missing or bad scale answer, an over-long
            open answer, or nothing answered at all.
    """
    unknown = sorted(k for k in answers if not isinstance(k, int) or not 1 <= k <= len(questions))
    if unknown:
        raise SurveyError(
            f"this survey has questions 1 to {len(questions)}; there is no question {unknown[0]}"
        )
    scale: dict[int, int] = {}
    open_: dict[int, str] = {}
    for n, q in enumerate(questions, start=1):
        value = answers.get(n)
        if q.kind is QuestionKind.SCALE:
            scale[n] = _scale(value, n)
            continue
        if value is None:
            continue
        if not isinstance(value, str):
            raise SurveyError(f"question {n} takes words, not {type(value).__name__}")
        text = value.strip()
        if len(text) > MAX_OPEN:
            raise SurveyError(
                f"your answer to question {n} has {len(text):,} characters; keep it to "
                f"{MAX_OPEN:,} (nothing was saved)"
            )
        if text:
            open_[n] = text
    if not scale and not open_:
        raise SurveyError("nothing was answered; answer at least one question")
    return scale, open_


def ballot(scale: Mapping[int, int], redacted: Mapping[int, str]) -> dict[int, AnswerValue]:
    """The ballot as stored: scale points and redacted open answers by position."""
    out: dict[int, AnswerValue] = dict(scale)
    out.update(redacted)
    return out
