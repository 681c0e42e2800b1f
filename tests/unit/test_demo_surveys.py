"""The demo's pulse survey: its first round (five answers) shows results, its open re-run
(two answers) reads "too few answers to show", Ada has not answered it yet, the planted name
is redacted, and seeding again adds nothing."""

from __future__ import annotations

from playbook.demo import seed_demo
from playbook.demo.health_surveys import TITLE, seed_surveys
from playbook.services.health.figures import TOO_FEW
from playbook.wiring import Container


def test_the_demo_survey_has_a_shown_round_and_a_withheld_one(demo: Container) -> None:
    cora = demo.records.principal("cora")
    pid = demo.surveys.programme(cora)
    [ov] = [o for o in demo.surveys.surveys_of(cora, pid) if o.series.title == TITLE]
    assert [(r.number, r.state.value, r.respondents) for r in ov.rounds] == [
        (1, "closed", 5),
        (2, "open", 2),
    ]
    first = demo.surveys.results(cora, ov.series.series_id, 1)
    assert first.shown and first.counted == 5 and first.questions[0].mean == 4.2
    opens = first.questions[2].open_answers
    assert len(opens) == 4 and not any("Tony" in t for t in opens)
    second = demo.surveys.results(cora, ov.series.series_id)
    assert not second.shown and second.note.startswith(TOO_FEW)
    [mine] = demo.surveys.open_for(demo.records.principal("ada"))
    assert mine.series.title == TITLE and not mine.answered
    assert not seed_surveys(demo)
    seed_demo(demo)
    assert len([o for o in demo.surveys.surveys_of(cora, pid) if o.series.title == TITLE]) == 1
