"""Knowledge coverage on fakes (in-memory ports, the fake embedder and redactor): who may
declare, what an import keeps when a row is wrong, how texts are matched to goals and
domains, which counts are withheld, and the gaps in words."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from playbook.models import Kind, Principal, Role, Visibility
from playbook.permissions import NotAllowedError
from playbook.ports.coverage import DeclarationKind, PrivateMark, SharedText
from playbook.services.health.coverage import CoverageReport, CoverageService
from playbook.services.health.coverage.declare import MAX_KEYWORDS
from playbook.services.health.coverage.report import OTHER_CATEGORIES
from playbook.services.health.figures import Period
from playbook.services.programme_base import ProgrammeError
from playbook.wiring import Container
from tests.coverage_fakes import InMemoryDeclarations
from tests.fakes import FakeEmbedder, FakeRedactor

# Today is in 2027: the period's last quarter (2026-Q4) has ended, so people are counted
# over it, and the writing dated IN counts as documents and as people alike.
TODAY = dt.date(2027, 1, 20)
PERIOD = Period(dt.date(2026, 10, 1), dt.date(2026, 12, 31))
IN, OUT = dt.datetime(2026, 11, 1, tzinfo=dt.UTC), dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


class ListSources:
    """Coverage sources from lists the test fills."""

    def __init__(self) -> None:
        self.texts: list[SharedText] = []
        self.marks: list[PrivateMark] = []

    def shared_texts(self, programme_id: str) -> list[SharedText]:
        return list(self.texts)

    def private_marks(self, programme_id: str) -> list[PrivateMark]:
        return list(self.marks)

    def add(
        self,
        kind: Kind,
        text: str,
        owner: str = "u1",
        when: dt.datetime = IN,
        title: str = "",
        **fields: str,
    ) -> str:
        ident = f"doc{len(self.texts)}"
        visibility = Visibility.PUBLISHED if kind is Kind.ENTRY else Visibility.SHARED
        self.texts.append(
            SharedText(ident, owner, kind, visibility, title, text, (), when, **fields)
        )
        return ident


@dataclasses.dataclass
class World:
    c: Container
    service: CoverageService
    sources: ListSources
    pid: str
    embedder: FakeEmbedder

    def who(self, name: str) -> Principal:
        return self.c.records.principal(name)

    def declare(self, kind: str, name: str, description: str = "", keywords: str = "") -> None:
        self.service.declare(self.who("cora"), self.pid, kind, name, description, keywords)

    def rows(self) -> dict[str, tuple[object, ...]]:
        report = self.service.report(self.who("cora"), self.pid, PERIOD)
        return {str(r[0]): r[1:] for r in report.table().rows}


@pytest.fixture
def w(members: Container) -> World:
    members.records.add_user("sofia", roles=[Role.SPONSOR])
    sources = ListSources()
    embedder = FakeEmbedder()
    service = CoverageService(
        InMemoryDeclarations(),
        sources,
        members.records,
        FakeRedactor(),
        lambda: embedder,
        lambda: members.library,
        min_group=3,
        audit=members.audit,
        threshold=0.6,
        today=lambda: TODAY,
    )
    pid = members.records.programme_id("default")
    return World(members, service, sources, pid, embedder)


# -- declaring ---------------------------------------------------------------------------


def test_only_a_coordinator_declares_and_names_are_redacted(w: World) -> None:
    with pytest.raises(NotAllowedError):
        w.service.declare(w.who("ada"), w.pid, "goal", "Grow Asia")
    with pytest.raises(NotAllowedError):
        w.service.declare(w.who("sofia"), w.pid, "goal", "Grow Asia")
    d = w.service.declare(
        w.who("cora"), w.pid, "goal", "Priya's growth plan", "Ask Tony", "pricing; Marcus"
    )
    assert "Priya" not in d.name and "Tony" not in d.description
    assert "Marcus" not in " ".join(d.keywords) and "pricing" in d.keywords
    assert [x.name for x in w.service.declarations(w.who("sofia"), w.pid)] == [d.name]
    with pytest.raises(NotAllowedError):
        w.service.declarations(w.who("ada"), w.pid)


@pytest.mark.parametrize(
    ("kind", "name", "keywords", "says"),
    [
        ("target", "Grow", "", "not one of: goal, domain, market, function"),
        ("goal", "   ", "", "the name is empty"),
        ("goal", "x" * 201, "", "keep it to 200"),
        ("domain", "Pricing", ";".join(f"k{i}" for i in range(MAX_KEYWORDS + 1)), "too many"),
        ("domain", "Pricing", "k" * 65, "keep it to 64"),
    ],
)
def test_bad_declarations_are_refused_and_store_nothing(
    w: World, kind: str, name: str, keywords: str, says: str
) -> None:
    with pytest.raises(ProgrammeError, match=says):
        w.service.declare(w.who("cora"), w.pid, kind, name, "", keywords)
    assert w.service.declarations(w.who("cora"), w.pid) == []


def test_an_import_with_one_bad_row_stores_nothing(w: World) -> None:
    cora = w.who("cora")
    bad = b"kind,name,description,keywords\ngoal,Grow Asia,,\nplanet,Mars,,\nmarket,,,\n"
    report = w.service.import_csv(cora, w.pid, bad)
    assert report.saved == 0
    assert report.problems == (
        "row 3: the kind 'planet' is not one of: goal, domain, market, function",
        "row 4: the name is empty; write it and try again",
    )
    assert w.service.declarations(cora, w.pid) == []
    good = (
        b"kind,name,description,keywords\n"
        b"goal,Grow Asia,Profitable growth,asia; apac\n"
        b"\n"
        b"market,Nordics market,,Norway;Sweden\n"
    )
    assert w.service.import_csv(cora, w.pid, good).saved == 2
    found = w.service.declarations(cora, w.pid)
    assert [(d.kind, d.name, d.keywords) for d in found] == [
        (DeclarationKind.GOAL, "Grow Asia", ("asia", "apac")),
        (DeclarationKind.MARKET, "Nordics market", ("Norway", "Sweden")),
    ]


def test_an_import_naming_one_declaration_twice_counts_it_once(w: World) -> None:
    data = b"kind,name,description\ngoal,Grow Asia,first\ngoal,grow  asia,second\n"
    assert w.service.import_csv(w.who("cora"), w.pid, data).saved == 1
    [d] = w.service.declarations(w.who("cora"), w.pid)
    assert d.description == "second"


def test_a_name_too_long_once_redacted_is_refused(w: World) -> None:
    # 195 characters as typed; the placeholder for "Tony" is longer than the name.
    name = "Tony " + "x" * 190
    with pytest.raises(ProgrammeError, match="once the names in it are replaced"):
        w.service.declare(w.who("cora"), w.pid, "goal", name)
    assert w.service.declarations(w.who("cora"), w.pid) == []


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"\xff\xfe\x00bad", "not UTF-8"),
        (b"name,description\nGrow,\n", "no kind column"),
        (b"kind,name,owner\ngoal,Grow,ada\n", "unknown column 'owner'"),
        (b"kind,name\n", "no rows below its header"),
    ],
)
def test_an_unreadable_import_says_why(w: World, data: bytes, says: str) -> None:
    report = w.service.import_csv(w.who("cora"), w.pid, data)
    assert report.saved == 0 and says in report.problems[0]


def test_only_a_coordinator_imports_and_removes(w: World) -> None:
    with pytest.raises(NotAllowedError):
        w.service.import_csv(w.who("ada"), w.pid, b"kind,name\ngoal,Grow\n")
    w.declare("goal", "Grow")
    [d] = w.service.declarations(w.who("cora"), w.pid)
    with pytest.raises(NotAllowedError):
        w.service.remove(w.who("sofia"), w.pid, d.declaration_id)
    w.service.remove(w.who("cora"), w.pid, d.declaration_id)
    with pytest.raises(ProgrammeError, match="no such goal"):
        w.service.remove(w.who("cora"), w.pid, d.declaration_id)


# -- matching ----------------------------------------------------------------------------


def test_markets_match_by_alias_goals_by_field_domains_by_keyword(w: World) -> None:
    w.declare("market", "Vietnam market")
    w.declare("function", "Supply chain")
    w.declare("goal", "Reduce cost-to-serve in APAC")
    w.declare("domain", "Pricing", keywords="price increase")
    w.sources.add(Kind.DEBRIEF, "Hot and busy.", market="Saigon", function="SCM")
    w.sources.add(Kind.DEBRIEF, "Quiet.", strategic_goal="reduce cost-to-serve in apac")
    w.sources.add(Kind.SESSION_NOTE, "We discussed the price increase at length.")
    w.sources.add(Kind.ENTRY, "An entry about the price increase.")
    rows = w.rows()
    assert rows["Vietnam market"][:4] == ("market", 1, 0, 0)
    assert rows["Supply chain"][:4] == ("function", 1, 0, 0)
    assert rows["Reduce cost-to-serve in APAC"][:4] == ("strategic goal", 1, 0, 0)
    assert rows["Pricing"][:4] == ("knowledge domain", 0, 1, 1)


def test_a_market_matches_its_spellings_in_text_but_never_by_meaning(w: World) -> None:
    w.declare("market", "Norway market", "market entry in the north")
    w.sources.add(Kind.SESSION_NOTE, "Market entry in the north went well.")
    assert w.rows()["Norway market"][1:4] == (0, 0, 0)
    w.sources.add(Kind.SESSION_NOTE, "A week with the team in Oslo.")
    assert w.rows()["Norway market"][1:4] == (0, 1, 0)


def test_a_keyword_matches_whole_words_only(w: World) -> None:
    w.declare("domain", "Art", keywords="art")
    w.sources.add(Kind.SESSION_NOTE, "We started the quarter with a party.")
    assert w.rows()["Art"][1:4] == (0, 0, 0)
    w.sources.add(Kind.SESSION_NOTE, "Art, music and culture came up.")
    assert w.rows()["Art"][1:4] == (0, 1, 0)


def test_meaning_counts_above_the_threshold_only(w: World) -> None:
    w.declare("domain", "Supplier negotiations", "bargaining with vendors over contracts")
    # The fake embedder is a bag of words: sharing most words is "close in meaning".
    w.sources.add(Kind.SESSION_NOTE, "Bargaining with vendors over contracts took weeks.")
    w.sources.add(Kind.SESSION_NOTE, "The weather was lovely all week long.")
    assert w.rows()["Supplier negotiations"][1:4] == (0, 1, 0)
    w.service.matcher.threshold = 0.99
    assert w.rows()["Supplier negotiations"][1:4] == (0, 0, 0)


def test_embeddings_are_reused_between_views(w: World) -> None:
    w.declare("domain", "Supplier negotiations", "bargaining with vendors")
    w.sources.add(Kind.SESSION_NOTE, "Bargaining took weeks. Then we signed.")
    w.rows()
    texts = w.embedder.texts
    w.rows()
    assert texts > 0 and w.embedder.texts == texts


def test_only_writing_in_the_period_counts(w: World) -> None:
    w.declare("domain", "Pricing", keywords="pricing")
    w.sources.add(Kind.SESSION_NOTE, "pricing", when=OUT)
    assert w.rows()["Pricing"][1:4] == (0, 0, 0)
    w.sources.add(Kind.SESSION_NOTE, "pricing", when=IN)
    assert w.rows()["Pricing"][1:4] == (0, 1, 0)


# -- small groups ------------------------------------------------------------------------


def test_writers_show_only_from_the_minimum_group(w: World) -> None:
    w.declare("domain", "Pricing", keywords="pricing")
    w.sources.add(Kind.SESSION_NOTE, "pricing", owner="a")
    w.sources.add(Kind.SESSION_NOTE, "pricing again", owner="a")
    w.sources.add(Kind.DEBRIEF, "pricing", owner="b")
    assert w.rows()["Pricing"] == ("knowledge domain", 1, 2, 0, None, "covered")
    w.sources.add(Kind.ENTRY, "pricing", owner="c")
    assert w.rows()["Pricing"] == ("knowledge domain", 1, 2, 1, 3, "covered")


def _marks(w: World, prompt_set: str | None, owners: str, tags: tuple[str, ...] = ()) -> None:
    w.sources.marks += [PrivateMark(o, IN, prompt_set, tags) for o in owners]


def test_prompt_categories_are_counted_and_withheld_below_the_group(w: World) -> None:
    _marks(w, "bias-assumptions", "abc")
    _marks(w, "bias-assumptions", "a")
    _marks(w, "values-alignment", "ab")
    _marks(w, None, "abc", tags=("decision-quality",))  # an imported journal's tag
    _marks(w, None, "d", tags=("my own tag",))
    report = w.service.report(w.who("cora"), w.pid, PERIOD)
    # Values (2 writers) and free writing (1) are too small to name: together 3 writers (a,
    # b, d), so their row shows, unnamed.
    assert report.category_table().rows == (
        ("Bias", 4, 3),
        ("Decisions", 3, 3),
        (OTHER_CATEGORIES, 3, 3),
    )
    assert "my own tag" not in repr(report.section().as_dict())
    assert "Values" not in repr(report.section().as_dict())


def test_small_categories_together_are_withheld_below_the_group(w: World) -> None:
    _marks(w, "bias-assumptions", "abc")
    _marks(w, "values-alignment", "a")
    _marks(w, "dissent-discomfort", "b")
    report = w.service.report(w.who("cora"), w.pid, PERIOD)
    assert report.category_table().rows == (("Bias", 3, 3), (OTHER_CATEGORIES, None, None))


# -- gaps --------------------------------------------------------------------------------


def test_gaps_name_the_goals_and_domains_never_the_writers(w: World) -> None:
    w.declare("market", "Nordics market", keywords="Norway")
    w.declare("goal", "Grow share in Latin America")
    w.declare("goal", "Zero waste by 2030")
    w.declare("goal", "Faster decisions", keywords="decision")
    w.declare("domain", "Bias", keywords="bias")
    w.sources.add(Kind.DEBRIEF, "Samba", strategic_goal="Grow share in Latin America")
    w.sources.add(Kind.ENTRY, "A decision made faster.")
    _marks(w, "bias-assumptions", "abc")
    report = w.service.report(w.who("sofia"), w.pid, PERIOD)
    assert report.gaps == (
        "No debrief covers the Nordics market, and no note or playbook entry either.",
        "Two strategic goals have no playbook entry: “Grow share in Latin America” and "
        "“Zero waste by 2030”.",
        "Nothing shared or published in the period covers “Zero waste by 2030”.",
        "“Bias” is written about only in private writing (the “Bias” prompt category, in "
        "2026-Q4); no shared or published text in the period covers it.",
    )
    names = set(w.c.records.usernames(["u1"]).values()) | {"ada", "ravi", "cora"}
    assert not any(n in " ".join(report.gaps) for n in names)


def test_a_category_below_the_group_is_not_named_as_private_coverage(w: World) -> None:
    w.declare("domain", "Bias", keywords="bias")
    _marks(w, "bias-assumptions", "ab")  # two writers, fewer than three
    report = w.service.report(w.who("cora"), w.pid, PERIOD)
    assert report.gaps == ("Nothing shared or published in the period covers “Bias”.",)


def test_with_nothing_declared_the_gap_says_how_to_declare(w: World) -> None:
    [gap] = w.service.report(w.who("cora"), w.pid, PERIOD).gaps
    assert "No strategic goals or knowledge domains are declared yet" in gap


# -- the section -------------------------------------------------------------------------


def test_the_section_states_period_and_population_and_is_audited(w: World) -> None:
    w.declare("domain", "Pricing", keywords="pricing")
    w.sources.add(Kind.SESSION_NOTE, "pricing")
    with pytest.raises(NotAllowedError):
        w.service.section(w.who("ada"), w.pid, PERIOD)
    section = w.service.section(w.who("sofia"), w.pid, PERIOD)
    assert section.key == "coverage"
    assert [(f.label, f.value) for f in section.figures] == [
        ("Declared goals and domains", 1),
        ("Covered by shared or published text", 1),
        ("Not covered", 0),
    ]
    for f in section.figures:
        assert f.period == PERIOD.label and f.population
    coverage, categories = section.tables
    quarter = "2026-Q4 (2026-10-01 to 2026-12-31), the last whole quarter in the period asked"
    assert coverage.period == f"{PERIOD.label}; writers: {quarter}" and coverage.population
    assert categories.period == quarter and categories.population
    assert section.notes[-1] == (
        f"Documents are counted over {PERIOD.label}; writers and private writing over {quarter}."
    )
    [line] = [e for e in w.c.audit.events() if e.action == "coverage viewed"]
    assert (line.actor, line.detail) == ("sofia", f"{PERIOD.label}; people 2026-Q4")


# -- people over whole quarters ----------------------------------------------------------

SEPT = dt.datetime(2026, 9, 15, tzinfo=dt.UTC)  # in 2026-Q3


def _day_apart(w: World, today: dt.date) -> list[CoverageReport]:
    """Two views whose periods end a day apart (today, and yesterday)."""
    w.service._today = lambda: today
    start = dt.date(2026, 8, 1)
    return [
        w.service.report(w.who("sofia"), w.pid, Period(start, end))
        for end in (today, today - dt.timedelta(days=1))
    ]


def test_a_day_apart_the_private_counts_are_identical_and_name_their_quarter(w: World) -> None:
    # Three wrote in September, a fourth on the last day of one period only: over any days
    # asked for the two views would show 4 writers, then 3, and so who wrote that day.
    today = dt.date(2026, 12, 1)
    late = dt.datetime.combine(today, dt.time(9), dt.UTC)
    w.sources.marks += [PrivateMark(o, SEPT, "bias-assumptions") for o in "abc"]
    w.sources.marks.append(PrivateMark("d", late, "bias-assumptions"))
    views = _day_apart(w, today)
    assert [v.category_table().rows for v in views] == [(("Bias", 3, 3),)] * 2
    for v in views:
        assert v.quarter == "2026-Q3"
        assert v.category_table().period.startswith("2026-Q3 (2026-07-01 to 2026-09-30)")
        assert "2026-Q3" in v.section().notes[-1]


def test_a_day_apart_the_writers_of_shared_text_are_identical(w: World) -> None:
    # Three wrote shared notes on pricing in September; a fourth wrote one today, the last
    # day of one period only.
    w.declare("domain", "Pricing", keywords="pricing")
    today = dt.date(2026, 12, 1)
    for owner in "abc":
        w.sources.add(Kind.SESSION_NOTE, "pricing", owner=owner, when=SEPT)
    late = dt.datetime.combine(today, dt.time(9), dt.UTC)
    w.sources.add(Kind.SESSION_NOTE, "pricing", owner="d", when=late)
    first, second = _day_apart(w, today)
    [a], [b] = first.rows, second.rows
    # Documents are about documents and follow the period; writers stay the quarter's.
    assert (a.notes, b.notes) == (4, 3)
    assert a.writers == b.writers == 3


def test_a_quarter_entirely_before_the_period_says_so(w: World) -> None:
    _marks(w, "bias-assumptions", "abc")
    w.sources.marks = [dataclasses.replace(m, created_at=SEPT) for m in w.sources.marks]
    w.service._today = lambda: dt.date(2026, 12, 1)
    # "This quarter" so far: no whole quarter in it has ended, so the last one before it.
    report = w.service.report(
        w.who("cora"), w.pid, Period(dt.date(2026, 10, 1), dt.date(2026, 12, 1))
    )
    assert report.category_table().rows == (("Bias", 3, 3),)
    assert report.quarter_label == (
        "2026-Q3 (2026-07-01 to 2026-09-30), the last whole quarter ended by 2026-12-01 "
        "(the period asked holds no whole quarter that has ended)"
    )


def test_writing_in_the_quarter_under_way_counts_as_documents_only(w: World) -> None:
    w.declare("domain", "Pricing", keywords="pricing")
    today = dt.date(2026, 12, 1)
    november = dt.datetime(2026, 11, 2, tzinfo=dt.UTC)
    for owner in "abc":
        w.sources.add(Kind.SESSION_NOTE, "pricing", owner=owner, when=november)
    _marks(w, "bias-assumptions", "abc")  # dated IN, in November too
    w.service._today = lambda: today
    report = w.service.report(w.who("cora"), w.pid, Period.last_days(today, 30))
    [row] = report.rows
    assert (row.notes, row.writers) == (3, 0)
    assert report.categories == ()
