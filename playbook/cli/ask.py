"""`playbook ask`: an answer from what the user may read, with citations."""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated

import typer

from playbook.cli.common import AsUser, acting, container, err, friendly, out


@friendly
def ask(
    question: Annotated[str, typer.Argument(help="A question about the playbook.")],
    as_user: AsUser = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Answer a question from what you may read, with numbered citations."""
    c = container()
    answer = c.assistant.ask(acting(c, as_user), question)
    today = dt.date.today()
    passages = [
        {
            "n": n,
            "title": h.title,
            "document_id": h.document_id,
            "text": h.text,
            "review_due": h.review_due.isoformat() if h.review_due else None,
            "past_review": h.past_review(today),
        }
        for n, h in enumerate(answer.passages, start=1)
    ]
    if as_json:
        payload = {
            "answer": answer.text,
            "grounded": answer.grounded,
            "mode": answer.mode,
            "note": answer.note,
            "lead": answer.lead,
            # an extractive answer's points: one per source, its sentences and citation
            "points": [
                {
                    "n": q.n,
                    "sentences": list(q.sentences),
                    "attribution": q.attribution,
                    "caution": q.caution,
                }
                for q in answer.quotes
            ],
            "citations" if answer.grounded else "nearest": passages,
        }
        out.print_json(json.dumps(payload))
        return
    if answer.note:
        err.print(answer.note)
    out.print(answer.text, highlight=False, markup=False)
    out.print("\nSources:" if answer.grounded else "\nNearest items:")
    for p in passages:
        flag = f"  (past its review date, {p['review_due']})" if p["past_review"] else ""
        out.print(f"  [{p['n']}] {p['title']}{flag}", highlight=False, markup=False)
