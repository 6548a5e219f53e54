"""Answer quality on the dev set (tests/data/dev/questions*.toml), tune and held apart.

Batch 1 (questions.toml, 525 questions), batch 2 (questions_batch2.toml, 200 questions
written later by someone who had seen neither the knowledge files nor batch 1) and batch 3
(questions_batch3.toml, 200 more, written blind the same way on 2026-12-07) are reported
together and, with `--batch`, apart: batch 3's held part is the one no rule of the matcher
was chosen with.

For each split: in-scope questions answered right (the answer is one of `expect`, or the
right entry is among the two `close` candidates the bot asks back about), out-of-scope
questions turned down, per kind and per language, and the rejection/recall curve: the share
answered right when the confidence threshold is set so that 80/85/90/95 % of the
out-of-scope questions are turned down. The same curve for a BM25 baseline over the
knowledge base's phrasings (bm25s, if installed) shows what the language layer adds.

Goals (issue #9), on unseen questions: in-scope >= 0.90, out-of-scope rejected >= 0.90,
German paraphrases >= 0.85.

    .venv/bin/python bench/bench_quality.py [--split held] [--errors]
"""

from __future__ import annotations

import argparse
import sys
import tomllib
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bm25_yardstick import best_entry, bm25_index  # noqa: E402

from knowledge.base import KnowledgeBase, load_knowledge_base  # noqa: E402
from knowledge.matcher import Matcher  # noqa: E402

DEV_SETS = {1: ROOT / "tests" / "data" / "dev" / "questions.toml",
            2: ROOT / "tests" / "data" / "dev" / "questions_batch2.toml",
            3: ROOT / "tests" / "data" / "dev" / "questions_batch3.toml"}
REJECTION_TARGETS = (0.80, 0.85, 0.90, 0.95)

# (score, top entry id or "") per question: what a rejection curve needs
Ranker = Callable[[str, str], tuple[float, str]]


def load_questions(split: str | None = None, batch: int | None = None) -> list[dict]:
    questions = [q for number, path in DEV_SETS.items() if batch in (None, number)
                 for q in tomllib.loads(path.read_text(encoding="utf-8"))["q"]]
    return [q for q in questions if split is None or q["split"] == split]


def fallback_language(question: dict) -> str:
    return "de" if question["lang"] == "mixed" else question["lang"]


def answered_right(matcher: Matcher, question: dict) -> bool:
    """The decision the bot takes: an answer in `expect`, or `expect` among `close`."""
    match = matcher.match(question["text"], fallback_language(question))
    if not question["expect"]:
        return match.entry is None and not match.close
    if match.entry is not None:
        return match.entry.id in question["expect"]
    return any(entry.id in question["expect"] for entry in match.close)


def rates(matcher: Matcher, questions: list[dict]) -> dict[str, tuple[int, int]]:
    """right/total per group: in-scope, out-of-scope, kind:lang."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for question in questions:
        right = answered_right(matcher, question)
        scope = "in-scope" if question["expect"] else "out-of-scope"
        lang = question["lang"]
        for group in (scope, f"{question['kind']}:{lang}", f"{scope}:{lang}"):
            counts[group][0] += right
            counts[group][1] += 1
    return {group: (right, total) for group, (right, total) in counts.items()}


def curve(rank: Ranker, questions: list[dict]) -> list[tuple[float, float, float]]:
    """(target rejection, threshold, in-scope answered right) for each target."""
    scored = [(rank(q["text"], fallback_language(q)), q) for q in questions]
    outside = sorted(score for (score, _), q in scored if not q["expect"])
    inside = [(score, top in q["expect"]) for (score, top), q in scored if q["expect"]]
    points = []
    for target in REJECTION_TARGETS:
        # the smallest threshold that turns down `target` of the out-of-scope questions
        index = min(len(outside) - 1, max(0, int(round(target * len(outside))) - 1))
        threshold = outside[index] + 1e-9 if outside else 0.0
        right = sum(1 for score, ok in inside if ok and score >= threshold)
        points.append((target, threshold, right / max(len(inside), 1)))
    return points


def matcher_ranker(matcher: Matcher) -> Ranker:
    def rank(text: str, lang: str) -> tuple[float, str]:
        ranked = matcher.rank(text, lang)
        return (ranked[0][0], ranked[0][1].id) if ranked else (0.0, "")
    return rank


def bm25_ranker(knowledge: KnowledgeBase) -> Ranker | None:
    """BM25 over each entry's phrasings (bench/bm25_yardstick.py); None without bm25s."""
    retriever = bm25_index(knowledge)
    if retriever is None:
        return None
    ids = [entry.id for entry in knowledge.entries]

    def rank(text: str, _lang: str) -> tuple[float, str]:
        found = best_entry(retriever, text)
        return (found[0], ids[found[1]]) if found is not None else (0.0, "")
    return rank


def report(label: str, matcher: Matcher, questions: list[dict], baseline: Ranker | None
           ) -> None:
    table = rates(matcher, questions)
    print(f"\n== {label}: {len(questions)} questions")
    for group in sorted(table, key=lambda g: (":" in g, g)):
        right, total = table[group]
        print(f"  {group:24} {right / total:5.2f}  ({right}/{total})")
    inside = [q for q in questions if q["expect"]]
    first = third = 0
    for question in inside:
        ids = [entry.id for _, entry in matcher.rank(question["text"],
                                                     fallback_language(question))]
        first += bool(ids[:1]) and ids[0] in question["expect"]
        third += any(i in question["expect"] for i in ids[:3])
    print(f"  ranking: right entry first {first / max(len(inside), 1):.2f}, "
          f"top-3 {third / max(len(inside), 1):.2f}")
    for name, rank in (("matcher", matcher_ranker(matcher)), ("bm25 baseline", baseline)):
        if rank is None:
            continue
        points = ", ".join(f"{target:.2f} -> {right:.2f}" for target, _, right in
                           curve(rank, questions))
        print(f"  curve {name:14} out-of-scope rejected -> in-scope right: {points}")


def errors(matcher: Matcher, questions: list[dict]) -> None:
    for question in questions:
        if answered_right(matcher, question):
            continue
        match = matcher.match(question["text"], fallback_language(question))
        got = match.entry.id if match.entry else (
            "close:" + "/".join(e.id for e in match.close) if match.close else "-")
        top = [f"{e.id}" for e in match.suggestions]
        print(f"  [{question['kind']}:{question['lang']}] {question['text']!r}\n"
              f"      expect={question['expect']} got={got} score={match.score} sugg={top}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("tune", "held"), action="append")
    parser.add_argument("--errors", action="store_true", help="list the wrong decisions")
    parser.add_argument("--batch", type=int, choices=sorted(DEV_SETS),
                        help="only this batch of the dev set (default: all)")
    args = parser.parse_args()
    knowledge = load_knowledge_base()
    matcher = Matcher(knowledge)
    baseline = bm25_ranker(knowledge)
    for split in args.split or ("tune", "held"):
        questions = load_questions(split, args.batch)
        report(split if args.batch is None else f"{split}, batch {args.batch}", matcher,
               questions, baseline)
        if args.errors:
            errors(matcher, questions)


if __name__ == "__main__":
    main()
