"""Answer quality: does the extractive answer include what a good answer must, cite the right
document, and avoid repeating itself? In one run, for the answer as shipped (a lead and one
point per source), for the answer as it was before (the three sentences closest to the
question, from any passage), and for the shipped answer over an index whose sentence vectors
were embedded one sentence at a time instead of pooled from their chunk's pass.

Labelled set (``eval/data/answers.jsonl``, 22 questions a successor would ask, over the demo
content and ``eval/data/retrieval_corpus.jsonl``): each names the fragments of sentences a
good answer must quote (``must``) and the documents that answer it (``cite``, record ids).
Everything goes through the real pipeline: Presidio redaction, chunking, the installed
sentence-transformers model, embedded Chroma and FTS5; everyone's writing is shared, and
the asker is a member of the programme.

Figures, per method:

- ``includes``: the share of must-fragments the answer quotes (whitespace and case folded);
- ``all``: the share of questions whose answer quotes every one of them;
- ``cites``: the share whose answer cites at least one right document; ``cite@1``: whose
  first citation is one; ``cite recall``: the share of right documents cited;
- ``repeats``: the share of answers that cite one document under two numbers or quote a
  sentence twice (or one that shares most of its word triples with another);
- ``points``, ``sentences``: per answer; ``ms p50/p95``: time to answer, warm.

Usage::

    python eval/answers.py            # prints the table, writes eval/results/answers.json
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from eval.retrieval import index_corpus, read_jsonl  # noqa: E402 (after the path)
from playbook.retrieval import jaccard, shingles  # noqa: E402
from playbook.services.ask import RELEVANCE, Answer, _sentences, dot  # noqa: E402

DATA = ROOT / "eval" / "data"
QUESTIONS = DATA / "answers.jsonl"
RESULTS = ROOT / "eval" / "results" / "answers.json"
ASKER = "ravi"
# Two quoted sentences sharing this much of their word triples say the same thing.
NEAR_COPY = 0.6
_SPACE = re.compile(r"\s+")


def fold(text: str) -> str:
    """Text as the comparisons see it: case and white space folded."""
    return _SPACE.sub(" ", text).strip().casefold()


def quoted(answer: Answer) -> tuple[list[str], list[str]]:
    """(the sentences an answer quotes, the record ids of the documents it cites, in order)."""
    labels = {h.document_id: h.source_label for h in answer.passages}
    sentences = [s for q in answer.quotes for s in (q.sentences or (q.text,))]
    cited = [labels.get(q.document_id, "") for q in answer.quotes]
    return sentences, cited


def repeats(sentences: Sequence[str], cited: Sequence[str]) -> bool:
    """Whether an answer cites a document twice or says one sentence twice."""
    if len(set(cited)) < len(cited):
        return True
    grams = [shingles(s) for s in sentences]
    return any(
        fold(sentences[i]) == fold(sentences[j]) or jaccard(grams[i], grams[j]) >= NEAR_COPY
        for i in range(len(sentences))
        for j in range(i + 1, len(sentences))
    )


def before(c: Any, principal: Any, question: str) -> Answer:
    """The extractive answer as it was before: the three sentences of the passages closest
    to the question (within 0.12 of the best), each cited by its passage's number."""
    safe, hits, grounded = c.assistant.prepare(principal, question)
    if not grounded:
        return Answer("", tuple(hits), False, "none")
    pool = [(i, s) for i, h in enumerate(hits) for s in _sentences(h.text)]
    vectors = c.embedder.embed([safe] + [s for _, s in pool])
    scored = sorted(
        ((dot(vectors[0], v), i, s) for (i, s), v in zip(pool, vectors[1:], strict=True)),
        key=lambda x: -x[0],
    )
    top = scored[0][0]
    chosen = [(i, s) for score, i, s in scored[:3] if score >= max(RELEVANCE, top - 0.12)]
    from playbook.services.ask import quote

    quotes = tuple(quote(hits[i], i + 1, s) for i, s in chosen or [scored[0][1:]])
    return Answer("", tuple(hits), True, "extractive", quotes=quotes)


def measure(
    questions: list[dict[str, Any]], answer: Callable[[str], Answer]
) -> tuple[dict[str, float], list[dict[str, Any]]]:
    """The figures of one way of answering over the labelled set, and each answer."""
    answer(questions[0]["q"])  # warm: the first query loads what it needs
    rows, times = [], []
    for q in questions:
        t = time.perf_counter()
        a = answer(q["q"])
        times.append((time.perf_counter() - t) * 1000)
        sentences, cited = quoted(a)
        said = fold(" ".join(sentences))
        found = [m for m in q["must"] if fold(m) in said]
        right = set(q["cite"])
        rows.append(
            {
                "q": q["q"],
                "includes": len(found) / len(q["must"]),
                "missing": [m for m in q["must"] if m not in found],
                "cites": bool(right & set(cited)),
                "cite@1": bool(cited) and cited[0] in right,
                "cite_recall": len(right & set(cited)) / len(right),
                "repeats": repeats(sentences, cited),
                "points": len(a.quotes),
                "sentences": len(sentences),
                "cited": cited,
                "quoted": sentences,
                "lead": a.lead,
            }
        )
    n = len(rows)
    times.sort()
    figures = {
        "includes": sum(r["includes"] for r in rows) / n,
        "all": sum(r["includes"] == 1.0 for r in rows) / n,
        "cites": sum(r["cites"] for r in rows) / n,
        "cite@1": sum(r["cite@1"] for r in rows) / n,
        "cite_recall": sum(r["cite_recall"] for r in rows) / n,
        "repeats": sum(r["repeats"] for r in rows) / n,
        "points": sum(r["points"] for r in rows) / n,
        "sentences": sum(r["sentences"] for r in rows) / n,
        "ms_p50": statistics.median(times),
        "ms_p95": times[min(n - 1, round(0.95 * (n - 1)))],
    }
    return figures, rows


def evaluate(workdir: Path) -> dict[str, Any]:
    """Index the corpus, answer every question both ways, print the table."""
    c, _, seconds = index_corpus([], workdir / "pooled")
    # The same answer over an index whose sentences were embedded on their own (before
    # 2026-12-02), not pooled from their chunk's pass.
    alone, _, _ = index_corpus([], workdir / "alone", sentences_alone=True)
    principal = c.records.principal(ASKER)
    alone_asker = alone.records.principal(ASKER)
    questions = read_jsonl(QUESTIONS)
    methods: dict[str, Callable[[str], Answer]] = {
        "before: 3 closest sentences": lambda q: before(c, principal, q),
        "now: lead + a point per source": lambda q: c.assistant.ask(principal, q),
        "now, sentences embedded alone": lambda q: alone.assistant.ask(alone_asker, q),
    }
    out: dict[str, Any] = {"questions": len(questions), "index_seconds": round(seconds, 1)}
    header = (
        f"{'method':32} {'includes':>8} {'all':>5} {'cites':>5} {'cite@1':>6} {'recall':>6} "
        f"{'repeats':>7} {'points':>6} {'sents':>5} {'ms p50':>7} {'ms p95':>7}"
    )
    print(f"{len(questions)} questions, asked as {ASKER!r}\n{header}\n{'-' * len(header)}")
    for name, answer in methods.items():
        figures, rows = measure(questions, answer)
        out[name] = {"figures": figures, "answers": rows}
        f = figures
        print(
            f"{name:32} {f['includes']:8.3f} {f['all']:5.2f} {f['cites']:5.2f} "
            f"{f['cite@1']:6.2f} {f['cite_recall']:6.2f} {f['repeats']:7.2f} "
            f"{f['points']:6.2f} {f['sentences']:5.2f} {f['ms_p50']:7.1f} {f['ms_p95']:7.1f}"
        )
    now = out["now: lead + a point per source"]["answers"]
    missed = [r for r in now if r["includes"] < 1.0]
    if missed:
        print("\nNot quoted by the answer as shipped:")
        for r in missed:
            print(f"  {r['q']}: {'; '.join(r['missing'])}")
    return out


def main() -> None:
    """Run the evaluation and keep its figures."""
    argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0]).parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        figures = evaluate(Path(tmp))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
