"""Ingestion benchmark: our pipeline against the baseline a user would write, in one script.

Each measured job runs in a fresh subprocess so cold start and peak RSS are its own:

* ``pipeline``  - ``playbook``'s ingest (batched Presidio over spaCy ``nlp.pipe`` → chunk →
  batched embeddings → Chroma + FTS5, store first), with time split by stage;
* ``embed``     - embedding alone: the same chunk texts through the same model, nothing else;
* ``redact``    - redaction alone against a bare spaCy ``nlp.pipe`` over the same texts;
* ``baseline``  - Presidio ``AnalyzerEngine.analyze`` + ``AnonymizerEngine.anonymize`` per
  document, then LangChain ``Chroma.from_documents`` with ``HuggingFaceEmbeddings``.

Usage::

    python eval/bench_ingest.py                      # leader corpus + 10,000 generated entries
    python eval/bench_ingest.py --generated 0        # leader corpus only
    python eval/bench_ingest.py --baseline-sample 1000
    python eval/bench_ingest.py --redaction-only     # redaction against a bare nlp.pipe
    python eval/bench_ingest.py --whole              # `playbook import` vs the baseline,
                                                     # each timed as a whole process

``--whole`` times what a user waits for: the ``playbook import`` command from its start to
its exit (interpreter, imports, models, every batch, the store and both indexes) against
the baseline as a whole process of its own (``--job baseline`` in a fresh interpreter:
its imports, model loading and work), alternating, in the same run.

The generated corpus is large, so its baseline runs on the first ``--baseline-sample``
entries and the ratio compares documents per second on that sample size.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpora" / "leader-action-plans.csv"
TEXT_COLS = ("firstTaskGoal", "addTaskGoals", "addFirstRelGoal", "addRelGoals", "addRelGoalsLater")
NULLS = {"undefined", "[no response]"}


# -- corpora --------------------------------------------------------------------------------


def leader_corpus() -> list[str]:
    """The shared leader corpus, one text per row with usable text (as `playbook import` reads it)."""
    texts = []
    with CORPUS.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            parts = [
                p.strip()
                for col in TEXT_COLS
                for p in (row.get(col) or "").split("|")
                if p.strip() and p.strip().lower() not in NULLS
            ]
            if parts:
                texts.append("\n\n".join(parts))
    return texts


_FIRST = [
    "Tony",
    "Priya",
    "Marcus",
    "Camila",
    "Wei",
    "Fatima",
    "Olu",
    "Sven",
    "Aisha",
    "Diego",
    "Mei",
    "Jonas",
    "Leila",
    "Ravi",
    "Ana",
    "Tomasz",
]
_LAST = [
    "Mercer",
    "Raman",
    "Okafor",
    "Souza",
    "Chen",
    "Haddad",
    "Lindqvist",
    "Novak",
    "Tanaka",
    "Moreau",
    "Kowalski",
    "Byrne",
]
_MARKETS = [
    "Singapore",
    "Brazil",
    "Germany",
    "Indonesia",
    "Kenya",
    "Mexico",
    "Poland",
    "Japan",
    "Canada",
    "India",
]
_FUNCTIONS = ["supply chain", "marketing", "finance", "regulatory", "sales", "customer service"]
_SENTENCES = [
    "This week I had to decide on the {market} price change with only three days of data.",
    "I leaned on the model {name} built and did not ask who had challenged its assumptions.",
    "Looking back, I anchored on last year's numbers instead of asking what had changed.",
    "When {name} disagreed in the leadership meeting, the room went quiet and I moved on too fast.",
    "The rotation in {function} showed me how much work sits in the hand-offs between teams.",
    "I said customer first at the town hall and then cut the support budget in the same week.",
    "My bias was to wait for complete data, but the decision window closed before it arrived.",
    "During the {market} rotation the distributors with the most volume were the least profitable.",
    "I will ask {name} to argue the other side before we commit to the plan.",
    "Reverse mentoring with {name} showed me how graduates already draft replies with AI tools.",
    "The advisor council challenged our assumption that the {market} model would transfer unchanged.",
    "We chose to launch with fewer variants to hit the season, trading range for timing.",
    "I felt uncomfortable because the plan was mine, and I noticed I defended it rather than tested it.",
    "Next time I will name the assumption I am least sure of on day one.",
    "The {function} team measured cost-to-serve including returns and rush orders, which changed the ranking.",
    "Quarterly review: decisions took eleven days on average, down from nineteen last quarter.",
    "I asked {name} for feedback on how I ran the meeting, and the answer was that I interrupt.",
    "The strategic goal was to grow share in {market} without adding headcount in {function}.",
    "What surprised me most was how regulatory review, not manufacturing, set the launch date.",
    "Stakeholder relationships with {function} improved once we shared the weekly numbers openly.",
]


def generated_corpus(n: int, seed: int = 7) -> list[str]:
    """``n`` entries of 150-600 words written from a bank of leader-style sentences."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        target = rng.randint(150, 600)
        words: list[str] = []
        paragraph: list[str] = []
        while len(words) < target:
            s = rng.choice(_SENTENCES).format(
                name=f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"
                if rng.random() < 0.5
                else rng.choice(_FIRST),
                market=rng.choice(_MARKETS),
                function=rng.choice(_FUNCTIONS),
            )
            paragraph.append(s)
            words.extend(s.split())
            if len(paragraph) >= rng.randint(3, 6):
                words.append("\n\n")
                paragraph = []
        out.append(" ".join(words).replace(" \n\n ", "\n\n"))
    return out


def load_corpus(name: str, generated: int) -> list[str]:
    """A corpus by name."""
    return leader_corpus() if name == "leader" else generated_corpus(generated)


# -- jobs (each runs in its own process) ------------------------------------------------------


class Timer:
    """Accumulates seconds per stage by wrapping methods."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    def wrap(self, obj: Any, method: str, stage: str) -> None:
        inner: Callable[..., Any] = getattr(obj, method)

        def timed(*args: Any, **kwargs: Any) -> Any:
            t = time.perf_counter()
            try:
                return inner(*args, **kwargs)
            finally:
                self.seconds[stage] = self.seconds.get(stage, 0.0) + time.perf_counter() - t

        setattr(obj, method, timed)


def peak_rss_mb() -> float:
    """Peak resident set size of this process, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def job_pipeline(texts: list[str], workdir: Path, t_start: float) -> dict[str, Any]:
    """Our pipeline: cold start, documents/s, stage split."""
    from playbook.models import Kind, NewDocument, Role, Visibility
    from playbook.services.documents import BATCH
    from playbook.settings import Settings
    from playbook.wiring import Container

    c = Container(Settings(data_dir=workdir, secret_key="bench"))
    uid = c.records.add_user("bench", roles=[Role.LEADER]).user_id
    pid = c.records.programme_id("default")
    c.pipeline.redactor.redact_batch(["warm up with Tony"])
    c.pipeline.embedder.embed(["warm up"])
    c.vectors.count()
    cold = time.perf_counter() - t_start

    timer = Timer()
    p = c.pipeline
    timer.wrap(p.redactor, "redact_batch", "redact")
    timer.wrap(p.embedder, "embed", "embed")
    if hasattr(p.embedder, "embed_spans"):  # chunks with their sentences, in one pass
        timer.wrap(p.embedder, "embed_spans", "embed")
    timer.wrap(p.vectors, "upsert", "chroma")
    timer.wrap(p.vectors, "delete_documents", "chroma")
    timer.wrap(p.keywords, "upsert", "fts5")
    timer.wrap(p.keywords, "delete_documents", "fts5")
    docs = [
        NewDocument(uid, pid, Kind.JOURNAL, Visibility.PRIVATE, f"Reflection {i}", t, f"doc-{i}")
        for i, t in enumerate(texts)
    ]
    t0 = time.perf_counter()
    # The same flow as `playbook import`: store a batch, index it in the background while
    # the next batch is redacted.
    for i in range(0, len(docs), BATCH):
        p.ingest(docs[i : i + BATCH])
    total = time.perf_counter() - t0
    chunks, _ = c.records.chunk_records(_doc_ids(c))
    stages = dict(timer.seconds)
    stages["store+chunk+other"] = total - sum(stages.values())
    return {
        "documents": len(docs),
        "chunks": len(chunks),
        "cold_start_s": cold,
        "total_s": total,
        "docs_per_s": len(docs) / total,
        "stages_s": stages,
        "peak_rss_mb": peak_rss_mb(),
        "chunk_texts": [ch.text for ch in chunks],
    }


def _doc_ids(c: Any) -> list[str]:
    return [d.document_id for d in c.records.documents(limit=10**9)]


def job_embed(chunk_texts: list[str], t_start: float) -> dict[str, Any]:
    """Embedding alone: the same chunk texts, the same model and batch size."""
    from playbook.settings import Settings
    from playbook.wiring import Container

    c = Container(Settings(secret_key="bench"))
    c.embedder.embed(["warm up"])
    cold = time.perf_counter() - t_start
    t0 = time.perf_counter()
    c.embedder.embed(chunk_texts)
    total = time.perf_counter() - t0
    return {
        "chunks": len(chunk_texts),
        "cold_start_s": cold,
        "total_s": total,
        "peak_rss_mb": peak_rss_mb(),
    }


def job_baseline(texts: list[str], workdir: Path, t_start: float) -> dict[str, Any]:
    """What a user would write with the same libraries, document by document."""
    import chromadb
    from langchain_chroma import Chroma
    from langchain_core.documents import Document
    from langchain_huggingface import HuggingFaceEmbeddings
    from langchain_text_splitters import RecursiveCharacterTextSplitter
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider
    from presidio_anonymizer import AnonymizerEngine

    from ingest.redact import make_offline
    from playbook.settings import Settings

    settings = Settings(secret_key="bench")
    make_offline()
    # Presidio's documented setup, with the installed small model (the large one cannot be
    # downloaded here); every default recognizer stays on.
    nlp_engine = NlpEngineProvider(
        nlp_configuration={
            "nlp_engine_name": "spacy",
            "models": [{"lang_code": "en", "model_name": settings.spacy_model}],
        }
    ).create_engine()
    analyzer = AnalyzerEngine(nlp_engine=nlp_engine, supported_languages=["en"])
    anonymizer = AnonymizerEngine()
    embeddings = HuggingFaceEmbeddings(
        model_name=settings.embedding_model, model_kwargs={"device": "cpu"}
    )
    analyzer.analyze("warm up with Tony", language="en")
    cold = time.perf_counter() - t_start

    t0 = time.perf_counter()
    redacted = []
    for t in texts:
        found = analyzer.analyze(text=t, language="en")
        redacted.append(anonymizer.anonymize(text=t, analyzer_results=found).text)  # type: ignore[arg-type]
    t_redact = time.perf_counter() - t0
    splitter = RecursiveCharacterTextSplitter(chunk_size=1200, chunk_overlap=150)
    docs = splitter.split_documents(
        [Document(page_content=t, metadata={"i": i}) for i, t in enumerate(redacted)]
    )
    t1 = time.perf_counter()
    client = chromadb.PersistentClient(
        path=str(workdir / "chroma"), settings=chromadb.Settings(anonymized_telemetry=False)
    )
    Chroma.from_documents(docs, embeddings, client=client, collection_name="baseline")
    t_index = time.perf_counter() - t1
    total = time.perf_counter() - t0
    return {
        "documents": len(texts),
        "chunks": len(docs),
        "cold_start_s": cold,
        "total_s": total,
        "docs_per_s": len(texts) / total,
        "stages_s": {"presidio per document": t_redact, "split+embed+chroma": t_index},
        "peak_rss_mb": peak_rss_mb(),
    }


def job_redact(texts: list[str], t_start: float, rounds: int = 3) -> dict[str, Any]:
    """Redaction alone against a bare ``nlp.pipe`` over the same texts, in one process,
    alternating so drift on a noisy machine hits both; the best round of each counts."""
    import spacy

    from ingest.redact import PresidioRedactor, load_spacy
    from playbook.pseudonyms import Pseudonymizer
    from playbook.settings import Settings

    settings = Settings()
    nlp = load_spacy(settings.spacy_model)
    engine = PresidioRedactor(nlp, Pseudonymizer(b"bench"))
    engine.redact_batch(texts[:16])  # warm both
    full = spacy.load(settings.spacy_model)
    bare, ours, full_s = [], [], []
    for _ in range(rounds):
        t0 = time.perf_counter()
        for _doc in nlp.pipe(texts, batch_size=64):
            pass
        bare.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        engine.redact_batch(texts)
        ours.append(time.perf_counter() - t0)
    t0 = time.perf_counter()
    for _doc in full.pipe(texts, batch_size=64):
        pass
    full_s.append(time.perf_counter() - t0)
    return {
        "documents": len(texts),
        "bare_pipe_s": min(bare),
        "redact_s": min(ours),
        "full_pipe_s": min(full_s),
        "rounds": {"bare": bare, "redact": ours},
        "peak_rss_mb": peak_rss_mb(),
    }


# -- whole processes ----------------------------------------------------------------------

LEADER_FLAGS = [
    *[f for col in TEXT_COLS for f in ("--text-col", col)],
    *["--null-value", "undefined", "--null-value", "[No Response]", "--multi-sep", "|"],
]


def _env(data_dir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "ANONYMIZED_TELEMETRY": "False",
        "PLAYBOOK_DATA_DIR": str(data_dir),
        "PLAYBOOK_SECRET_KEY": "bench",
    }


def whole_import(source: Path, flags: list[str], workdir: Path) -> tuple[float, int]:
    """Seconds of one ``playbook import`` process, start to exit, into a fresh store (the
    importing user is created first, untimed), and the documents it stored."""
    from playbook.settings import Settings
    from playbook.store import SqlRecords, make_engine

    cli = str(Path(sys.executable).with_name("playbook"))
    data = workdir / "whole-import"
    env = _env(data)
    quiet = {"env": env, "stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    subprocess.run([cli, "users", "add", "importer", "--role", "coordinator"], check=True, **quiet)  # type: ignore[call-overload]
    t = time.perf_counter()
    # Exit status 1 means some rows had problems (the leader corpus has rows with no text);
    # the count of stored documents below is what the figures use.
    subprocess.run([cli, "import", str(source), "--as", "importer", *flags], **quiet)  # type: ignore[call-overload]
    took = time.perf_counter() - t
    url = Settings(data_dir=data, secret_key="bench").resolved_database_url
    stored = int(SqlRecords(make_engine(url)).stats()["documents"])
    return took, stored


def whole_baseline(corpus: str, size: int, generated: int) -> tuple[float, dict[str, Any]]:
    """Seconds of the baseline as one fresh process, start to exit, and its own figures."""
    t = time.perf_counter()
    result = run_job(["baseline", corpus, str(size), "--generated", str(generated)])
    return time.perf_counter() - t, result


def run_whole(generated: int, baseline_sample: int) -> None:
    """`playbook import` against the naive pipeline, both as whole processes, per corpus."""
    print("\n# Whole processes: `playbook import` against the baseline, same run")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        runs: list[tuple[str, Path, list[str], int]] = [
            ("leader corpus", CORPUS, LEADER_FLAGS, 10**9)
        ]
        if generated:
            feed = work / "generated.jsonl"
            with feed.open("w", encoding="utf-8") as fh:
                for i, text in enumerate(generated_corpus(generated)):
                    fh.write(json.dumps({"id": f"g{i}", "text": text}) + "\n")
            runs.append((f"{generated:,} generated entries", feed, [], baseline_sample))
        for label, source, flags, base_size in runs:
            corpus = "leader" if source == CORPUS else "generated"
            base_s, base = whole_baseline(corpus, base_size, generated)
            shutil.rmtree(work / "whole-import", ignore_errors=True)
            ours_s, docs = whole_import(source, flags, work)
            ours_rate, base_rate = docs / ours_s, base["documents"] / base_s
            # The baseline's own work, without its start-up: the strictest comparison.
            work_rate = base["documents"] / base["total_s"]
            print(f"\n## {label}: whole processes")
            print(f"`playbook import`: {docs:,} documents in {ours_s:.1f} s ({ours_rate:.1f}/s)")
            print(
                f"baseline process: {base['documents']:,} documents in {base_s:.1f} s "
                f"({base_rate:.1f}/s; {base['cold_start_s']:.1f} s of it start-up)"
            )
            print(f"speed-up, whole process vs whole process: {ours_rate / base_rate:.2f}x")
            print(
                f"speed-up against the baseline's work alone (its start-up left out): "
                f"{ours_rate / work_rate:.2f}x"
            )
            if base["documents"] != docs:
                print(
                    f"(the baseline ran on the first {base['documents']:,} entries; its "
                    "start-up is spread over fewer documents, which favours ours: see the "
                    "second figure)"
                )


def run_job(argv: list[str]) -> dict[str, Any]:
    """Run one job in a fresh interpreter and return its JSON result."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "result.json"
        env = {
            **os.environ,
            "HF_HUB_OFFLINE": "1",
            "TRANSFORMERS_OFFLINE": "1",
            "ANONYMIZED_TELEMETRY": "False",
        }
        subprocess.run(
            [sys.executable, __file__, "--job", *argv, "--out", str(out), "--workdir", tmp],
            check=True,
            env=env,
        )
        return json.loads(out.read_text())


# -- report -----------------------------------------------------------------------------------


def report(name: str, ours: dict[str, Any], embed: dict[str, Any], base: dict[str, Any]) -> None:
    """Print one corpus's figures."""
    print(f"\n## {name}: {ours['documents']:,} documents, {ours['chunks']:,} chunks")
    print(f"{'':28}{'playbook':>14}{'baseline':>14}")
    print(f"{'documents/s':28}{ours['docs_per_s']:>14.1f}{base['docs_per_s']:>14.1f}")
    print(f"{'documents measured':28}{ours['documents']:>14,}{base['documents']:>14,}")
    print(f"{'total seconds':28}{ours['total_s']:>14.1f}{base['total_s']:>14.1f}")
    print(f"{'cold start seconds':28}{ours['cold_start_s']:>14.1f}{base['cold_start_s']:>14.1f}")
    print(f"{'peak RSS MB':28}{ours['peak_rss_mb']:>14.0f}{base['peak_rss_mb']:>14.0f}")
    print("stages (playbook):  " + ", ".join(f"{k} {v:.1f}s" for k, v in ours["stages_s"].items()))
    print("stages (baseline):  " + ", ".join(f"{k} {v:.1f}s" for k, v in base["stages_s"].items()))
    ratio = ours["docs_per_s"] / base["docs_per_s"]
    print(f"speed-up vs baseline (documents/s): {ratio:.2f}x  (target >= 5x)")
    print(
        f"embedding alone: {embed['total_s']:.1f}s for the same {embed['chunks']:,} chunks; "
        f"whole pipeline / embedding alone = {ours['total_s'] / embed['total_s']:.2f}  (target <= 2)"
    )


def main() -> None:
    """Entry point."""
    t_start = time.perf_counter()
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--generated", type=int, default=10_000, help="generated entries (0 to skip)")
    ap.add_argument(
        "--baseline-sample", type=int, default=1_000, help="baseline size on the generated corpus"
    )
    ap.add_argument("--redaction-only", action="store_true", help="only redaction against nlp.pipe")
    ap.add_argument(
        "--whole", action="store_true", help="`playbook import` vs the baseline, whole processes"
    )
    ap.add_argument("--job", nargs="+", help=argparse.SUPPRESS)
    ap.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--workdir", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()

    if args.job:
        kind, corpus, size = args.job[0], args.job[1], int(args.job[2])
        if kind == "embed":
            chunk_texts = json.loads(Path(args.job[3]).read_text())
            result = job_embed(chunk_texts, t_start)
        elif kind == "redact":
            result = job_redact(load_corpus(corpus, args.generated)[:size], t_start)
        else:
            texts = load_corpus(corpus, args.generated)[:size]
            fn = job_pipeline if kind == "pipeline" else job_baseline
            result = fn(texts, args.workdir, t_start)
        args.out.write_text(json.dumps(result))
        return

    if not CORPUS.exists():
        sys.exit(
            f"The shared leader corpus is missing at {CORPUS}; it sits beside the project in ../shared."
        )
    print(f"Ingestion benchmark on {os.cpu_count()} cores (each job in a fresh process)")
    if args.whole:
        run_whole(args.generated, args.baseline_sample)
        return
    runs = [("leader", "leader corpus", 10**9, 10**9)]
    if args.generated:
        runs.append(
            (
                "generated",
                f"generated corpus ({args.generated:,} entries of 150-600 words)",
                10**9,
                args.baseline_sample,
            )
        )
    red = run_job(["redact", "leader", str(10**9), "--generated", "0"])
    print(f"\n## Redaction speed, leader corpus ({red['documents']:,} entries, best of 3 rounds)")
    print(f"bare nlp.pipe (the same NER-only pipeline): {red['bare_pipe_s']:.2f}s")
    print(f"redaction (tuned Presidio over that pipe):  {red['redact_s']:.2f}s")
    print(f"redaction / bare nlp.pipe = {red['redact_s'] / red['bare_pipe_s']:.2f}  (target <= 2)")
    print(f"(the full en_core_web_sm pipe takes {red['full_pipe_s']:.2f}s on the same texts)")
    if args.redaction_only:
        return
    for corpus, label, size, base_size in runs:
        extra = ["--generated", str(args.generated)]
        ours = run_job(["pipeline", corpus, str(size), *extra])
        print(
            f"  {label}: playbook pipeline {ours['total_s']:.1f}s, stages {ours['stages_s']}",
            flush=True,
        )
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as fh:
            json.dump(ours.pop("chunk_texts"), fh)
        embed = run_job(["embed", corpus, "0", fh.name, *extra])
        print(f"  {label}: embedding alone {embed['total_s']:.1f}s", flush=True)
        Path(fh.name).unlink()
        base = run_job(["baseline", corpus, str(base_size), *extra])
        report(label, ours, embed, base)


if __name__ == "__main__":
    main()
