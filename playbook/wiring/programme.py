"""The container's programme parts (issue 20): mentoring, the advisor council, planned
rotations and impact reports, each a service over its SQLAlchemy adapter and the store."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any, cast

from playbook.models import RedactionPolicy
from playbook.wiring.lazy import LazyRedactor

if TYPE_CHECKING:
    from playbook.ports import Embedder
    from playbook.services.accounts import AuditLog
    from playbook.services.council import CouncilService
    from playbook.services.impact import ImpactService
    from playbook.services.mentoring import MentoringService
    from playbook.services.privacy import PrivacyService
    from playbook.services.rotations import RotationService
    from playbook.store import SqlRecords
    from playbook.wiring.container import Container
    from prompts import Library


class ProgrammeParts:
    """The programme half of ``Container`` (a mixin: it reads the store, the audit log, the
    privacy service, the embedder and the prompt library the container builds)."""

    if TYPE_CHECKING:

        @property
        def records(self) -> SqlRecords: ...

        @property
        def audit(self) -> AuditLog: ...

        @property
        def privacy(self) -> PrivacyService: ...

        @property
        def embedder(self) -> Embedder: ...

        @property
        def library(self) -> Library: ...

    @functools.cached_property
    def mentoring(self) -> MentoringService:
        """The mentoring programme: profiles, matching, pairings, sessions (issue 20)."""
        from playbook.services.mentoring import MentoringService
        from playbook.store.mentoring_pairings import SqlPairings
        from playbook.store.mentoring_profiles import SqlProfiles

        engine = self.records.engine
        # The redactor and the embedding model load on first use: listing pairings needs
        # neither, suggestions need the model, saving a profile needs the redactor.
        return MentoringService(
            SqlProfiles(engine),
            SqlPairings(engine),
            self.records,
            self.records,
            self._redactor(),
            lambda: self.embedder,
            audit=self.audit,
            policy_for=self._shared_policy,
        )

    @functools.cached_property
    def council(self) -> CouncilService:
        """The advisor council: charter, members, meetings, options tracked to decisions."""
        from playbook.services.council import CouncilService
        from playbook.store.council import SqlCouncil

        return CouncilService(SqlCouncil(self.records.engine), *self._programme_parts())

    @functools.cached_property
    def rotations(self) -> RotationService:
        """Rotations planned as programme objects, linked to their debriefs."""
        from playbook.services.rotations import RotationService
        from playbook.store.rotations import SqlRotations

        return RotationService(SqlRotations(self.records.engine), *self._programme_parts())

    @functools.cached_property
    def impact(self) -> ImpactService:
        """Mentors' quarterly impact reports, objective recounts and their validations."""
        from playbook.services.impact import ImpactService
        from playbook.store.impact import SqlImpact
        from playbook.store.mentoring_pairings import SqlPairings
        from playbook.store.mentoring_profiles import SqlProfiles

        engine = self.records.engine
        return ImpactService(
            SqlImpact(engine),
            SqlProfiles(engine),
            SqlPairings(engine),
            self.records,
            self._redactor(),
            lambda: self.library,
            audit=self.audit,
            policy_for=self._shared_policy,
        )

    def _programme_parts(self) -> tuple[Any, ...]:
        """What the council and rotation services take after their store: the directory,
        the documents, the redactor, the audit log and the authors' redaction policy."""
        return self.records, self.records, self._redactor(), self.audit, self._shared_policy

    def _redactor(self) -> LazyRedactor:
        # The redactor loads on first use: listing pairings or options needs none.
        return LazyRedactor(cast("Container", self))

    def _shared_policy(self, user_id: str) -> RedactionPolicy:
        # Programme records are read by others: the author's lists as for shared writing.
        return self.privacy.policy(user_id, shared=True)
