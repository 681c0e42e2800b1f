"""Knowledge coverage: precision and recall of matching texts to declared goals and domains,
with the installed sentence-embedding model, and the threshold the product uses.

Data: 12 declared goals and domains (``eval/data/coverage_declarations.jsonl``: name and
description; only the market and the function carry keywords, as a coordinator would give
them), 30 hand-labelled passages
to tune on (``coverage_passages.jsonl``) and 20 written afterwards and never tuned on
(``coverage_passages_heldout.jsonl``). A passage may cover several declarations or none.
Each (declaration, passage) pair is one decision; precision and recall are over pairs.

Two figures per set: ``meaning`` (the embedding step alone, on the 11 declarations that
match by meaning, all but the market: the best cosine of the declaration against the
passage's title and sentence pairs, at the threshold) and ``matcher`` (what the product
runs, on all 12: fields, the declared name and keywords as whole words, a market's or
function's alias spellings, then meaning).
The sweep picks the threshold with the best F1 of ``meaning`` on the tuning set.

Usage::

    python eval/coverage.py            # prints the table, writes eval/results/coverage.json
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from ingest.embed import SentenceTransformerEmbedder  # noqa: E402
from playbook.models import Kind, Visibility  # noqa: E402
from playbook.ports.coverage import Declaration, DeclarationKind, SharedText  # noqa: E402
from playbook.services.health.coverage.matching import (  # noqa: E402
    MEANING_THRESHOLD,
    MEANINGFUL,
    Matcher,
    VectorCache,
)
from playbook.services.rotation import aliases  # noqa: E402
from playbook.settings import Settings  # noqa: E402
from playbook.wiring import sentence_model  # noqa: E402

DATA = ROOT / "eval" / "data"
RESULTS = ROOT / "eval" / "results" / "coverage.json"
SWEEP = [round(0.20 + 0.02 * i, 2) for i in range(21)]  # 0.20 .. 0.60
WHEN = dt.datetime(2026, 10, 1, tzinfo=dt.UTC)


def _lines(name: str) -> list[dict[str, object]]:
    path = DATA / name
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


def declarations() -> list[Declaration]:
    """The labelled set's declarations."""
    return [
        Declaration(
            str(d["id"]),
            "eval",
            DeclarationKind(str(d["kind"])),
            str(d["name"]),
            str(d.get("description", "")),
            tuple(str(k) for k in d.get("keywords", ())),  # type: ignore[attr-defined]
            WHEN,
        )
        for d in _lines("coverage_declarations.jsonl")
    ]


def passages(name: str) -> tuple[list[SharedText], set[tuple[str, str]]]:
    """Passages as shared notes, and the (declaration, passage) pairs labelled as covered."""
    texts, truth = [], set()
    for i, p in enumerate(_lines(name)):
        ident = f"p{i}"
        texts.append(
            SharedText(
                ident,
                "u",
                Kind.SESSION_NOTE,
                Visibility.SHARED,
                str(p["title"]),
                str(p["text"]),
                (),
                WHEN,
            )
        )
        truth |= {(str(d), ident) for d in p["covers"]}  # type: ignore[attr-defined]
    return texts, truth


def scores(found: set[tuple[str, str]], truth: set[tuple[str, str]]) -> dict[str, float]:
    """Precision, recall and F1 of ``found`` pairs against ``truth``."""
    hit = len(found & truth)
    p = hit / len(found) if found else 1.0
    r = hit / len(truth) if truth else 1.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {
        "precision": round(p, 3),
        "recall": round(r, 3),
        "f1": round(f1, 3),
        "found": len(found),
        "true": len(truth),
    }


def main() -> None:
    """Sweep the threshold on the tuning set, then report both sets at the product's."""
    embedder = SentenceTransformerEmbedder(sentence_model(Settings().embedding_model))
    cache = VectorCache(lambda: embedder)
    matcher = Matcher(cache, aliases())
    decls = declarations()
    out: dict[str, object] = {"model": Settings().embedding_model, "threshold": MEANING_THRESHOLD}
    sets = {"tuning": "coverage_passages.jsonl", "held-out": "coverage_passages_heldout.jsonl"}
    for label, name in sets.items():
        texts, truth = passages(name)
        meaningful = [d for d in decls if d.kind in MEANINGFUL]
        asked = {d.declaration_id for d in meaningful}
        sims = matcher.similarity(meaningful, texts)
        truth_meaning = {(d, p) for d, p in truth if d in asked}
        if label == "tuning":
            sweep = {
                t: scores({k for k, v in sims.items() if v >= t}, truth_meaning) for t in SWEEP
            }
            best = max(sweep, key=lambda t: (sweep[t]["f1"], -t))
            out["sweep"] = {str(t): s for t, s in sweep.items()}
            out["best_threshold"] = best
            print("threshold  precision  recall  f1   (meaning alone, tuning set)")
            for t, s in sweep.items():
                mark = "  <- best" if t == best else ""
                print(f"{t:9.2f}  {s['precision']:9.3f}  {s['recall']:6.3f}  {s['f1']:.3f}{mark}")
        meaning = scores({k for k, v in sims.items() if v >= MEANING_THRESHOLD}, truth_meaning)
        matcher.threshold = MEANING_THRESHOLD
        full = scores(
            {(m.declaration_id, m.document_id) for m in matcher.matches(decls, texts)}, truth
        )
        out[label] = {
            "meaning": meaning,
            "matcher": full,
            "pairs": {"meaning": len(meaningful) * len(texts), "matcher": len(decls) * len(texts)},
        }
        print(f"{label}: meaning {meaning}; matcher {full}")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
