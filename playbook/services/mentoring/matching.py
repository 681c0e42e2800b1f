"""Matching, as pure logic: which givers may be paired with a mentee (hard constraints),
how well each fits (objective ↔ expertise similarity, functions, markets and industries
known, style), a balance penalty so the same few givers are not suggested again and again,
and a concentration report. Every score comes with the reasons a coordinator reads."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from playbook.ports.mentoring import Objective, Pairing, PairingState, Profile, ProfileRole

# Weights of the fit. Similarity dominates: it is what the mentee said they want to learn.
SIMILARITY_WEIGHT = 0.6
EXPERIENCE_WEIGHT = 0.25
STYLE_BONUS = 0.1
# Balance: a giver near capacity, or shown to many mentees lately, drops a little, so
# suggestions spread; the cap keeps a strong fit from being buried by popularity alone.
LOAD_PENALTY = 0.1
EXPOSURE_PENALTY = 0.02
MAX_EXPOSURE_PENALTY = 0.15
# Variety: on a shortlist, a giver of the same background (first function and seniority) as
# one already above drops by this much for each, so the list is not all one kind of person.
VARIETY_PENALTY = 0.05
# A concentration report flags the programme when the busiest fifth of givers holds more
# than this share of recent suggestions.
CONCENTRATION_ALERT = 0.5


@dataclass(frozen=True)
class Candidate:
    """A giver considered for a mentee, with what the programme knows about them now."""

    profile: Profile
    load: int  # open pairings (proposed, approved or active)
    times_suggested: int  # suggestions in the balance window


@dataclass(frozen=True)
class Suggestion:
    """A ranked giver and why: ``reasons`` are sentences (they quote user text: show them
    as plain text)."""

    mentor_id: str
    profile_id: str
    role: ProfileRole
    score: float
    similarity: float
    objective_id: str | None  # the objective their expertise fits best
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Exclusion:
    """A giver left out by a hard constraint, and which."""

    mentor_id: str
    reason: str


@dataclass(frozen=True)
class Concentration:
    """How evenly recent suggestions and current pairings are spread over the givers."""

    givers: int
    suggestions: int
    top_share: float  # share of suggestions held by the busiest fifth of givers
    counts: tuple[tuple[str, int, int], ...]  # (giver id, times suggested, open pairings)
    concentrated: bool


def reporting_chain(user_id: str, managers: Mapping[str, str | None]) -> set[str]:
    """Everyone above ``user_id`` in the reporting line (a cycle in the data ends the walk).

    Args:
        user_id: Whose line to walk.
        managers: Each person's manager, as profiles declare them.

    Returns:
        The ids of their manager, their manager's manager, and so on.
    """
    chain: set[str] = set()
    current = managers.get(user_id)
    while current and current not in chain and current != user_id:
        chain.add(current)
        current = managers.get(current)
    return chain


def constraint(
    mentee: Profile,
    giver: Candidate,
    managers: Mapping[str, str | None],
    history: Sequence[Pairing],
) -> str | None:
    """The hard constraint that rules ``giver`` out for ``mentee``, or None if none does.

    Args:
        mentee: The mentee's profile.
        giver: The giver considered.
        managers: Each person's manager in the programme.
        history: The programme's pairings (open and closed).

    Returns:
        A sentence naming the constraint, or None.
    """
    g = giver.profile
    if g.user_id == mentee.user_id:
        return "cannot be paired with themselves"
    if g.user_id in reporting_chain(mentee.user_id, managers):
        return "in the mentee's reporting line (above them)"
    if mentee.user_id in reporting_chain(g.user_id, managers):
        return "the mentee is in their reporting line (below them)"
    if mentee.user_id in g.conflicts or g.user_id in mentee.conflicts:
        return "a conflict of interest is declared between them"
    for p in history:
        if (p.mentor_id, p.mentee_id) != (g.user_id, mentee.user_id):
            continue
        if p.state in (PairingState.PROPOSED, PairingState.APPROVED, PairingState.ACTIVE):
            return "already paired with this mentee"
        # A pairing that ended or was declined is not offered again (the rematch case).
        return f"an earlier pairing with this mentee was {p.state.value}"
    if giver.load >= g.capacity:
        return f"no capacity left ({giver.load} of {g.capacity} pairings)"
    if g.role is ProfileRole.REVERSE_MENTOR and g.seniority >= mentee.seniority:
        return "a reverse mentor must be more junior than the mentee"
    if g.role is ProfileRole.MENTOR and g.seniority < mentee.seniority:
        return "a mentor must be at least as senior as the mentee"
    if mentee.languages and g.languages and not _folded(mentee.languages) & _folded(g.languages):
        return "no language in common"
    return None


def score(
    mentee: Profile,
    giver: Candidate,
    objectives: Sequence[Objective],
    objective_vectors: Sequence[Sequence[float]],
    expertise_vector: Sequence[float],
) -> Suggestion:
    """How well ``giver`` fits ``mentee``, with the reasons.

    Args:
        mentee: The mentee's profile.
        giver: A giver that passed the hard constraints.
        objectives: The mentee's objectives to match on.
        objective_vectors: Their unit-length embeddings, in the same order.
        expertise_vector: The giver's expertise, embedded (unit length).

    Returns:
        The suggestion, its score and its reasons.
    """
    g = giver.profile
    reasons: list[str] = []
    best, best_at = 0.0, -1
    for i, vec in enumerate(objective_vectors):
        sim = sum(a * b for a, b in zip(vec, expertise_vector, strict=True))
        if best_at < 0 or sim > best:
            best, best_at = sim, i
    objective = objectives[best_at] if best_at >= 0 else None
    if objective is not None:
        reasons.append(f"expertise fits the objective “{objective.text}” (similarity {best:.2f})")
    wanted = _folded(mentee.functions + mentee.markets + mentee.industries)
    known = _folded(g.functions + g.markets + g.industries)
    shared = sorted(wanted & known)
    experience = len(shared) / len(wanted) if wanted else 0.0
    if shared:
        reasons.append("knows " + ", ".join(shared) + " (what the mentee wants to learn)")
    style = bool(mentee.style.strip()) and mentee.style.casefold() == g.style.casefold()
    if style:
        reasons.append(f"leadership style the mentee asked for: {g.style}")
    languages = sorted(_folded(mentee.languages) & _folded(g.languages))
    if languages:
        reasons.append("speaks " + ", ".join(languages))
    if g.role is ProfileRole.REVERSE_MENTOR:
        reasons.append(f"reverse mentoring: seniority {g.seniority} advising {mentee.seniority}")
    penalty = _penalty(giver)
    if penalty:
        reasons.append(
            f"balance: {giver.load} of {g.capacity} pairings taken, suggested "
            f"{giver.times_suggested} times lately (−{penalty:.2f})"
        )
    total = (
        SIMILARITY_WEIGHT * best + EXPERIENCE_WEIGHT * experience + (STYLE_BONUS if style else 0)
    ) - penalty
    return Suggestion(
        mentor_id=g.user_id,
        profile_id=g.profile_id,
        role=g.role,
        score=round(total, 4),
        similarity=round(best, 4),
        objective_id=objective.objective_id if objective else None,
        reasons=tuple(reasons),
    )


def _penalty(giver: Candidate) -> float:
    load = giver.load / giver.profile.capacity if giver.profile.capacity else 1.0
    exposure = min(MAX_EXPOSURE_PENALTY, EXPOSURE_PENALTY * giver.times_suggested)
    return round(LOAD_PENALTY * load + exposure, 4)


def rank(suggestions: Sequence[Suggestion]) -> list[Suggestion]:
    """Best first; ties broken by id, so the order is the same every time."""
    return sorted(suggestions, key=lambda s: (-s.score, s.mentor_id))


def background(profile: Profile) -> tuple[str, int]:
    """The kind of person a giver is, for variety: their first function and seniority."""
    first = profile.functions[0].strip().casefold() if profile.functions else ""
    return first, profile.seniority


def diversify(
    suggestions: Sequence[Suggestion], backgrounds: Mapping[str, tuple[str, int]], limit: int
) -> list[Suggestion]:
    """The shortlist of ``limit``, best first, each pick's score lowered by
    ``VARIETY_PENALTY`` for every giver above it of the same background (the reasons say
    so), so a strong fit from another function or level is not pushed off by near-copies.

    Args:
        suggestions: Scored suggestions.
        backgrounds: ``background`` of each suggested giver, by user id.
        limit: How many to keep.

    Returns:
        At most ``limit`` suggestions in shortlist order.
    """
    pool = rank(suggestions)
    out: list[Suggestion] = []
    while pool and len(out) < limit:

        def alike(s: Suggestion) -> int:
            kind = backgrounds.get(s.mentor_id)
            return sum(kind is not None and backgrounds.get(o.mentor_id) == kind for o in out)

        best = min(pool, key=lambda s: (-(s.score - VARIETY_PENALTY * alike(s)), s.mentor_id))
        pool.remove(best)
        same = alike(best)
        if same:
            function, level = backgrounds[best.mentor_id]
            cut = VARIETY_PENALTY * same
            best = replace(
                best,
                score=round(best.score - cut, 4),
                reasons=(
                    *best.reasons,
                    f"variety: {same} suggestion{'s' if same != 1 else ''} above share this "
                    f"background ({function or 'no function'}, seniority {level}) (−{cut:.2f})",
                ),
            )
        out.append(best)
    return out


def concentration(
    givers: Sequence[Profile], suggested: Mapping[str, int], loads: Mapping[str, int]
) -> Concentration:
    """How concentrated recent suggestions are on a few givers.

    Args:
        givers: The programme's giver profiles.
        suggested: Times each giver was suggested in the window.
        loads: Each giver's open pairings.

    Returns:
        The share the busiest fifth holds, the counts per giver (busiest first), and whether
        it passes ``CONCENTRATION_ALERT``.
    """
    ids = sorted({g.user_id for g in givers} | set(suggested))
    counts = sorted(
        ((i, suggested.get(i, 0), loads.get(i, 0)) for i in ids), key=lambda c: (-c[1], c[0])
    )
    total = sum(c[1] for c in counts)
    top = max(1, len(counts) // 5) if counts else 0
    share = sum(c[1] for c in counts[:top]) / total if total else 0.0
    # One or two givers always hold everything: no alert is meaningful there.
    concentrated = len(counts) >= 3 and share > CONCENTRATION_ALERT
    return Concentration(len(counts), total, round(share, 4), tuple(counts), concentrated)


def _folded(values: Sequence[str]) -> set[str]:
    return {v.strip().casefold() for v in values if v.strip()}
