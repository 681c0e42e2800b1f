"""The container's programme-health parts (issue 21): early-warning signals, pulse surveys,
knowledge coverage, the inclusion audit and the report that gathers them. Each is a service
over its SQLAlchemy adapter and the store; none reads private text."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, cast

from playbook.wiring.lazy import LazyRedactor

if TYPE_CHECKING:
    from playbook.ports import Embedder
    from playbook.services.accounts import AuditLog
    from playbook.services.health.coverage import CoverageService
    from playbook.services.health.inclusion import InclusionService
    from playbook.services.health.report import HealthService
    from playbook.services.health.signals import SignalService
    from playbook.services.health.surveys import SurveyService
    from playbook.settings import Settings
    from playbook.store import SqlRecords
    from playbook.wiring.container import Container
    from prompts import Library


class HealthParts:
    """The health half of ``Container`` (a mixin: it reads the store, the audit log and the
    settings the container builds). Each source adds its ``functools.cached_property``."""

    if TYPE_CHECKING:

        @property
        def records(self) -> SqlRecords: ...

        @property
        def audit(self) -> AuditLog: ...

        settings: Settings

        @property
        def embedder(self) -> Embedder: ...

        @property
        def library(self) -> Library: ...

    @functools.cached_property
    def health(self) -> HealthService:
        """The health report over every source (issue 21, item 5): each source is built on
        first use, so one that fails shows as a sentence in its section."""
        from playbook.services.health.report import HealthPart, HealthService

        parts: list[HealthPart] = [
            # The sources, in the order the report shows them; each added as it lands.
            HealthPart("signals", "Early-warning signals", lambda: self.signals),
            HealthPart("surveys", "Pulse surveys", lambda: self.surveys),
            HealthPart("coverage", "Themes and knowledge coverage", lambda: self.coverage),
            HealthPart("inclusion", "Inclusion audit", lambda: self.inclusion),
        ]
        return HealthService(
            parts,
            self.records,
            LazyRedactor(cast("Container", self)),
            audit=self.audit,
        )

    @functools.cached_property
    def coverage(self) -> CoverageService:
        """Themes and knowledge coverage (issue 21, item 3): declared goals and domains
        against shared and published text, and private writing's prompt categories."""
        from playbook.services.health.coverage import CoverageService
        from playbook.store.coverage import SqlCoverage

        store = SqlCoverage(self.records.engine)
        container = cast("Container", self)
        # The embedding model loads on first use: declaring goals needs none.
        return CoverageService(
            store,
            store,
            self.records,
            LazyRedactor(container),
            lambda: self.embedder,
            lambda: self.library,
            self.settings.min_group_size,
            audit=self.audit,
            policy_for=lambda user_id: container.privacy.policy(user_id, shared=True),
        )

    @functools.cached_property
    def signals(self) -> SignalService:
        """Early-warning signals (issue 21, item 1): computed from activity metadata, with
        their snoozes and resolutions; sponsors get counts per kind only."""
        from playbook.services.health.signals import SignalService, Thresholds
        from playbook.store.entries import SqlEntries
        from playbook.store.health_signals import SqlActivityFacts, SqlSignalStates
        from playbook.store.mentoring_pairings import SqlPairings
        from playbook.store.rotations import SqlRotations

        engine, s = self.records.engine, self.settings
        container = cast("Container", self)
        return SignalService(
            SqlSignalStates(engine),
            SqlActivityFacts(engine),
            SqlPairings(engine),
            SqlRotations(engine),
            SqlEntries(engine),
            self.records,
            LazyRedactor(container),  # loads only when a resolution carries a note
            Thresholds(
                quiet_weeks=s.signal_quiet_weeks,
                rhythm_drop=s.signal_rhythm_drop,
                debrief_days=s.signal_debrief_days,
                share_wait_days=s.signal_share_wait_days,
            ),
            s.min_group_size,
            audit=self.audit,
            policy_for=lambda user_id: container.privacy.policy(user_id, shared=True),
        )

    @functools.cached_property
    def surveys(self) -> SurveyService:
        """Anonymous pulse surveys (issue 21, item 2): rounds, one-time tokens, ballots
        without identity, results only for at least the minimum group size."""
        from playbook.services.health.surveys import SurveyService
        from playbook.store.surveys import SqlSurveys

        container = cast("Container", self)
        return SurveyService(
            SqlSurveys(self.records.engine),
            self.records,
            LazyRedactor(container),  # loads only when an open answer or a survey is written
            self.settings.key_bytes,  # keys the one-time tokens; read on first answer
            min_group=self.settings.min_group_size,
            audit=self.audit,
            policy_for=lambda user_id: container.privacy.policy(user_id, shared=True),
        )

    @functools.cached_property
    def inclusion(self) -> InclusionService:
        """The inclusion audit (issue 21, item 4): attributes the programme asks for, each
        person's own consented declarations, and aggregates with small cells withheld."""
        from playbook.services.health.inclusion import InclusionService
        from playbook.store.inclusion import SqlInclusion
        from playbook.store.mentoring_pairings import SqlPairings

        store = SqlInclusion(self.records.engine)
        container = cast("Container", self)
        return InclusionService(
            store,
            store,
            SqlPairings(self.records.engine),
            self.records,
            LazyRedactor(container),  # loads only when someone types a free-choice value
            self.settings.min_group_size,
            audit=self.audit,
            policy_for=lambda user_id: container.privacy.policy(user_id, shared=True),
        )
