"""The reflection studio's use cases over a real SQLite store, with fakes for the models."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from langchain_core.language_models.fake_chat_models import FakeListChatModel
from langchain_core.messages import BaseMessage

from playbook.models import Kind, Role, Visibility
from playbook.services.privacy import NotAllowedError
from playbook.services.reflection import MAX_ENTRY_CHARS, FormError, ReflectionError
from playbook.wiring import Container
from tests.unit.test_privacy import db_bytes


@pytest.fixture
def c(fake_container: Container) -> Container:
    r = fake_container.records
    r.add_user("ada", roles=[Role.LEADER])
    r.add_user("ravi", roles=[Role.PARTICIPANT])
    r.add_user("cora", roles=[Role.COORDINATOR])
    r.add_user("olga", roles=[Role.COORDINATOR], programme="other")
    return fake_container


def who(c: Container, name: str) -> Any:
    return c.records.principal(name)


def visible_to(c: Container, reader: str, query: str) -> list[str]:
    # A studio save is indexed in the background after "Saved": wait for it first.
    assert c.indexing.wait_for_indexing(30)
    return [h.document_id for h in c.service.search(reader, query, k=20)]


def test_drafts_autosave_encrypted_and_are_discarded_on_save(c: Container) -> None:
    ada = who(c, "ada")
    c.reflection.save_draft(ada.user_id, "journal", {"text": "Half a thought about Zebulon"})
    c.reflection.save_draft(ada.user_id, "journal", {"text": "A whole thought about Zebulon"})
    assert c.reflection.draft(ada.user_id, "journal") == {"text": "A whole thought about Zebulon"}
    assert c.reflection.draft(who(c, "ravi").user_id, "journal") is None
    assert b"Zebulon" not in db_bytes(c)
    c.reflection.save_journal(ada, "A whole thought about pricing.")
    assert c.reflection.draft(ada.user_id, "journal") is None


@pytest.mark.parametrize(
    ("text", "message"),
    [("", "empty"), ("   \n ", "empty"), ("x" * (MAX_ENTRY_CHARS + 1), "up to 100,000")],
)
def test_bad_entries_are_refused_and_the_draft_is_kept(
    c: Container, text: str, message: str
) -> None:
    ada = who(c, "ada")
    c.reflection.save_draft(ada.user_id, "journal", {"text": text})
    with pytest.raises(ReflectionError, match=message):
        c.reflection.save_journal(ada, text)
    assert c.reflection.draft(ada.user_id, "journal") == {"text": text}
    assert c.records.documents() == []


def test_a_guided_entry_is_private_and_the_history_shows_the_original(c: Container) -> None:
    ada = who(c, "ada")
    doc = c.reflection.save_journal(
        ada,
        "I waited for Tony's numbers and they changed nothing.",
        prompt_set="decision-quality",
        prompt_id="timeline",
    )
    info = c.records.document(doc)
    assert info is not None and info.visibility == Visibility.PRIVATE
    assert info.kind == Kind.JOURNAL and info.prompt_set == "decision-quality"
    assert "Tony" not in info.redacted_text
    assert visible_to(c, "ravi", "numbers changed nothing") == []
    assert doc in visible_to(c, "ada", "numbers changed nothing")
    [item] = c.reflection.history(ada, query="tony numbers")
    assert "Tony's numbers" in item.original and item.title.startswith("Pick one decision")
    assert c.reflection.history(ada, query="pricing") == []
    assert c.reflection.history(who(c, "ravi")) == []
    with pytest.raises(ReflectionError, match="unknown prompt set"):
        c.reflection.save_journal(ada, "text", prompt_set="nope")


GOOD_DEBRIEF = {
    "function": "Supply chain",
    "market": "Singapore",
    "start_date": dt.date(2026, 9, 1),
    "end_date": dt.date(2026, 9, 21),
    "anchor_project": "cost-to-serve analysis",
    "surprised": "High-volume distributors were the least profitable.",
    "decisions": "Kept two small distributors for hospital relationships.",
    "lessons": "Count the cost of exceptions.",
    "strategic_goal": "Margin",
    "advice": "Spend a day with Priya in customer care first.",
}


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"end_date": dt.date(2026, 8, 30)}, "end_date", "before the start"),
        ({"start_date": None}, "start_date", "first day"),
        ({"function": "", "market": ""}, "function", "function or the market"),
        ({"anchor_project": " "}, "anchor_project", "anchor project"),
        ({"lessons": ""}, "lessons", "at least one lesson"),
        ({"end_date": dt.date(2027, 6, 1)}, "end_date", "weeks, not months"),
    ],
)
def test_debrief_fields_are_checked_one_by_one(
    c: Container, change: dict, field: str, message: str
) -> None:
    with pytest.raises(FormError) as err:
        c.reflection.save_debrief(who(c, "ravi"), {**GOOD_DEBRIEF, **change})
    assert message in err.value.errors[field]
    assert c.records.documents() == []


def test_a_debrief_is_saved_with_its_fields(c: Container) -> None:
    doc = c.reflection.save_debrief(who(c, "ravi"), GOOD_DEBRIEF)
    info = c.records.document(doc)
    assert info is not None and info.kind == Kind.DEBRIEF
    assert info.title == "Rotation debrief: Supply chain, Singapore"
    assert info.debrief.anchor_project == "cost-to-serve analysis"
    assert info.debrief.end_date == dt.date(2026, 9, 21)
    assert "Priya" not in info.redacted_text and "Lessons: Count the cost" in info.redacted_text


def test_session_and_council_notes(c: Container) -> None:
    ada = who(c, "ada")
    with pytest.raises(FormError) as err:
        c.reflection.save_session_note(ada, {"topic": "gossip", "learned": "", "change": "x"})
    assert set(err.value.errors) == {"topic", "learned"}
    note = c.reflection.save_session_note(
        ada,
        {"mentor": "Marcus", "topic": "Technology", "learned": "AI drafts", "change": "Try it"},
    )
    info = c.records.document(note)
    assert (
        info is not None and info.kind == Kind.SESSION_NOTE and "Marcus" not in info.redacted_text
    )
    with pytest.raises(FormError) as err2:
        c.reflection.save_council_note(ada, {"charter_topic": "Entry", "decided": ""})
    assert "decided" in err2.value.errors
    council = c.reflection.save_council_note(
        ada, {"charter_topic": "Indonesia entry", "decided": "Pilot; owner Priya"}
    )
    assert c.records.document(council).kind == Kind.COUNCIL_NOTE  # type: ignore[union-attr]


def test_followups_without_an_llm_are_cued_and_never_already_answered(c: Container) -> None:
    ada = who(c, "ada")
    doc = c.reflection.save_journal(
        ada,
        "We waited three weeks for the data before deciding. The deadline was Friday.",
        prompt_set="decision-quality",
        prompt_id="timeline",
    )
    questions = c.reflection.followups(ada, doc)
    assert 1 <= len(questions) <= 3
    lib = c.library.sets["decision-quality"]
    library_questions = {f.text for p in lib.prompts for f in p.follow_ups}
    assert set(questions) <= library_questions
    assert any("information you waited for" in q for q in questions)
    with pytest.raises(NotAllowedError):
        c.reflection.followups(who(c, "ravi"), doc)


def test_a_followup_the_entry_answers_is_not_asked(c: Container) -> None:
    ada = who(c, "ada")
    asked = "What would it cost to undo this in three months?"
    doc = c.reflection.save_journal(
        ada,
        f"{asked} It would cost a quarter of margin to undo it. We decided to reverse nothing.",
        prompt_set="decision-quality",
    )
    assert asked not in c.reflection.followups(ada, doc)


class RecordingChat(FakeListChatModel):
    seen: list[str] = []  # noqa: RUF012 - reset per test

    def _call(self, messages: list[BaseMessage], *args: Any, **kwargs: Any) -> str:
        self.seen.append("\n".join(str(m.content) for m in messages))
        return super()._call(messages, *args, **kwargs)


def test_followups_with_an_llm_see_only_redacted_text(c: Container) -> None:
    llm = RecordingChat(responses=["1. Who else saw the risk?\n- Why then?\nNot a question"])
    llm.seen = []
    c.override(chat_model=llm)
    ada = who(c, "ada")
    doc = c.reflection.save_journal(ada, "Tony warned me about the risk and I ignored him.")
    assert c.reflection.followups(ada, doc) == ["Who else saw the risk?", "Why then?"]
    assert llm.seen and "Tony" not in llm.seen[0] and "[PERSON-" in llm.seen[0]


def test_answering_a_followup_joins_the_entry(c: Container) -> None:
    ada = who(c, "ada")
    doc = c.reflection.save_journal(ada, "I cut the support budget.")
    c.reflection.answer_followup(ada, doc, "Who noticed first?", "Marcus's team did.")
    info = c.records.document(doc)
    assert info is not None and "Who noticed first?" in info.redacted_text
    assert "Marcus" not in info.redacted_text
    assert c.privacy.original(ada, doc).endswith("Who noticed first?\nMarcus's team did.")
    assert len(c.records.documents()) == 1
    with pytest.raises(ReflectionError, match="empty"):
        c.reflection.answer_followup(ada, doc, "Q?", "  ")


def test_sharing_goes_through_moderation_and_can_be_withdrawn(c: Container) -> None:
    ada, ravi, cora, olga = (who(c, n) for n in ("ada", "ravi", "cora", "olga"))
    doc = c.reflection.save_journal(ada, "Lesson on warehouse consolidation and dissent.")
    c.reflection.request_share(ada, doc)
    assert visible_to(c, "ravi", "warehouse consolidation") == []  # pending is not shared
    assert [d.document_id for d in c.reflection.moderation_queue(cora)] == [doc]
    assert c.reflection.moderation_queue(olga) == []
    with pytest.raises(NotAllowedError):
        c.reflection.moderation_queue(ravi)
    with pytest.raises(NotAllowedError):
        c.reflection.decide_share(olga, doc, approve=True)
    with pytest.raises(NotAllowedError):
        c.reflection.request_share(ravi, doc)
    c.reflection.decide_share(cora, doc, approve=True)
    assert doc in visible_to(c, "ravi", "warehouse consolidation")
    assert c.reflection.moderation_queue(cora) == []
    c.reflection.withdraw(ada, doc)
    assert visible_to(c, "ravi", "warehouse consolidation") == []
    assert c.vectors.query(c.embedder.embed(["warehouse"])[0], 10, _scope(ravi)) == []
    assert c.keywords.query("warehouse", 10, _scope(ravi)) == []
    assert doc in visible_to(c, "ada", "warehouse consolidation")
    trail = [(e.actor, e.action, e.subject) for e in reversed(c.audit.events())]
    assert trail == [
        ("ada", "share requested", doc),
        ("cora", "share approved", doc),
        ("ada", "share withdrawn", doc),
    ]


def _scope(p: Any) -> Any:
    from playbook.permissions import read_scope

    return read_scope(p)


def test_a_declined_share_stays_private(c: Container) -> None:
    ada, cora = who(c, "ada"), who(c, "cora")
    doc = c.reflection.save_journal(ada, "Notes on the pricing offsite.")
    c.reflection.request_share(ada, doc)
    c.reflection.decide_share(cora, doc, approve=False)
    assert visible_to(c, "ravi", "pricing offsite") == []
    assert c.records.document(doc).share_status == "declined"  # type: ignore[union-attr]
    with pytest.raises(ReflectionError, match="not awaiting"):
        c.reflection.decide_share(cora, doc, approve=True)


def test_a_personal_allow_term_is_redacted_again_when_shared(c: Container) -> None:
    ada, cora = who(c, "ada"), who(c, "cora")
    c.privacy.add_term(ada.user_id, "allow", "Marcus")
    doc = c.reflection.save_journal(ada, "Marcus is the codename of our pricing engine.")
    assert "Marcus" in c.records.document(doc).redacted_text  # type: ignore[union-attr]
    c.reflection.request_share(ada, doc)
    c.reflection.decide_share(cora, doc, approve=True)
    shared = c.records.document(doc)
    assert shared is not None and "Marcus" not in shared.redacted_text
    hits = c.service.search("ravi", "codename pricing engine")
    assert hits and all("Marcus" not in h.text for h in hits)


def test_habits_count_weeks_and_categories(c: Container) -> None:
    ada = who(c, "ada")
    assert c.reflection.habits(ada).last_reflection is None
    c.reflection.save_journal(ada, "One.", prompt_set="bias-assumptions")
    c.reflection.save_journal(ada, "Two.")
    h = c.reflection.habits(ada)
    assert h.weeks_with_reflection == 1 and h.streak_weeks == 1
    month = dt.datetime.now(dt.UTC).strftime("%Y-%m")
    assert set(h.by_month_and_category) == {(month, "Bias", 1), (month, "Free writing", 1)}


def test_an_unreachable_llm_falls_back_to_the_library(c: Container) -> None:
    from langchain_core.language_models.fake_chat_models import FakeListChatModelError

    class Down(FakeListChatModel):
        def _call(self, *args: Any, **kwargs: Any) -> str:
            raise FakeListChatModelError("connection refused")

    c.override(chat_model=Down(responses=["unused"]))
    ada = who(c, "ada")
    doc = c.reflection.save_journal(
        ada, "We waited for the data before deciding.", prompt_set="decision-quality"
    )
    questions = c.reflection.followups(ada, doc)
    assert questions and all(q.endswith("?") for q in questions)


def test_members_of_several_programmes_choose_where_an_entry_goes(c: Container) -> None:
    c.records.set_roles("ada", [Role.LEADER], "other")
    ada = who(c, "ada")
    assert len(ada.programme_ids) == 2
    with pytest.raises(ReflectionError, match="choose one of your programmes"):
        c.reflection.save_journal(ada, "Which programme?")
    other = c.records.programme_id("other")
    doc = c.reflection.save_journal(ada, "For the other programme.", programme_id=other)
    assert c.records.document(doc).programme_id == other  # type: ignore[union-attr]
    with pytest.raises(ReflectionError):
        c.reflection.save_journal(ada, "Not mine.", programme_id="elsewhere")
    debrief = c.reflection.save_debrief(ada, {**GOOD_DEBRIEF, "programme_id": other})
    assert c.records.document(debrief).programme_id == other  # type: ignore[union-attr]


def test_before_my_rotation_ranks_what_the_reader_may_see(c: Container) -> None:
    from playbook.services.ask import before_rotation

    ada, ravi, cora = who(c, "ada"), who(c, "ravi"), who(c, "cora")
    shared = c.reflection.save_debrief(
        ada,
        {
            **GOOD_DEBRIEF,
            "advice": "Ride along with the night shift. Why do returns spike on Mondays?",
        },
    )
    c.reflection.request_share(ada, shared)
    c.reflection.decide_share(cora, shared, approve=True)
    c.reflection.save_debrief(cora, {**GOOD_DEBRIEF, "advice": "Private advice for myself."})
    c.reflection.save_debrief(ada, {**GOOD_DEBRIEF, "market": "Lagos", "function": ""})
    brief = before_rotation(c.retriever, ravi, market="singapore")
    assert [h.document_id for h in brief.debriefs] == [shared]
    assert any("night shift" in text for text, _ in brief.advice)
    assert [q for q, _ in brief.open_questions] == ["Why do returns spike on Mondays?"]
    with pytest.raises(ValueError, match="function or the market"):
        before_rotation(c.retriever, ravi)
    assert before_rotation(c.retriever, ravi, market="Atlantis").debriefs == ()
