"""The impact port over SQLAlchemy (migration 0015): mentors' quarterly impact reports and
mentees' recounts of their learning objectives with the named observer's validation."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from sqlalchemy import Select, select

from playbook.models import StoreError
from playbook.ports.programme import ImpactReport, Recount
from playbook.store.engine import SqlAdapter, aware, once_more_on_conflict
from playbook.store.governance_tables import ImpactReportRow, ObjectiveRecountRow
from playbook.store.tables import new_id, utcnow


def _report(r: ImpactReportRow) -> ImpactReport:
    return ImpactReport(
        report_id=r.id,
        programme_id=r.programme_id,
        mentor_id=r.mentor_id,
        quarter=r.quarter,
        answers=dict(r.answers or {}),
        shared=r.shared,
        updated_at=aware(r.updated_at),
    )


def _recount(r: ObjectiveRecountRow) -> Recount:
    return Recount(
        recount_id=r.id,
        programme_id=r.programme_id,
        mentee_id=r.mentee_id,
        objective_id=r.objective_id,
        objective=r.objective,
        quarter=r.quarter,
        text=r.text,
        observer_id=r.observer_id,
        shared=r.shared,
        created_at=aware(r.created_at),
        validation=r.validation,
        validated_at=aware(r.validated_at) if r.validated_at else None,
    )


def _one_report(programme_id: str, mentor_id: str, quarter: str) -> Select[ImpactReportRow]:
    return select(ImpactReportRow).where(
        ImpactReportRow.programme_id == programme_id,
        ImpactReportRow.mentor_id == mentor_id,
        ImpactReportRow.quarter == quarter,
    )


class SqlImpact(SqlAdapter):
    """Impact port: reports, recounts and validations per programme."""

    def save_report(
        self,
        programme_id: str,
        mentor_id: str,
        quarter: str,
        answers: Mapping[str, str],
        shared: bool,
    ) -> ImpactReport:
        """Write the mentor's report for the quarter (saving again replaces it)."""

        def write() -> ImpactReport:
            with self._session.begin() as s:
                row = s.scalars(_one_report(programme_id, mentor_id, quarter)).first()
                if row is None:
                    row = ImpactReportRow(
                        id=new_id(), programme_id=programme_id, mentor_id=mentor_id
                    )
                    s.add(row)
                row.quarter, row.answers, row.shared = quarter, dict(answers), shared
                row.updated_at = utcnow()
                s.flush()
                return _report(row)

        # Two tabs saving a first report at once: the loser finds the winner's row.
        return once_more_on_conflict(write)

    def report(self, programme_id: str, mentor_id: str, quarter: str) -> ImpactReport | None:
        """The mentor's report for the quarter, or None."""
        with self._session() as s:
            row = s.scalars(_one_report(programme_id, mentor_id, quarter)).first()
            return _report(row) if row else None

    def reports(
        self, programme_ids: Iterable[str], quarter: str | None = None
    ) -> list[ImpactReport]:
        """Reports in these programmes (of one quarter), newest quarter first."""
        wanted = list(programme_ids)
        if not wanted:
            return []
        query = select(ImpactReportRow).where(ImpactReportRow.programme_id.in_(wanted))
        if quarter is not None:
            query = query.where(ImpactReportRow.quarter == quarter)
        with self._session() as s:
            rows = s.scalars(
                query.order_by(
                    ImpactReportRow.quarter.desc(),
                    ImpactReportRow.updated_at.desc(),
                    ImpactReportRow.id,
                )
            )
            return [_report(r) for r in rows]

    def add_recount(
        self,
        programme_id: str,
        mentee_id: str,
        objective_id: str,
        objective: str,
        quarter: str,
        text: str,
        observer_id: str,
        shared: bool,
    ) -> str:
        """Store a recount (texts redacted); returns its id."""
        row = ObjectiveRecountRow(
            id=new_id(),
            programme_id=programme_id,
            mentee_id=mentee_id,
            objective_id=objective_id,
            objective=objective,
            quarter=quarter,
            text=text,
            observer_id=observer_id,
            shared=shared,
            created_at=utcnow(),
        )
        with self._session.begin() as s:
            s.add(row)
        return row.id

    def recount(self, recount_id: str) -> Recount | None:
        """One recount, or None."""
        with self._session() as s:
            row = s.get(ObjectiveRecountRow, recount_id)
            return _recount(row) if row else None

    def recounts(
        self,
        programme_ids: Iterable[str],
        mentee_id: str | None = None,
        observer_id: str | None = None,
        quarter: str | None = None,
    ) -> list[Recount]:
        """Recounts in these programmes, narrowed, newest first."""
        wanted = list(programme_ids)
        if not wanted:
            return []
        query = select(ObjectiveRecountRow).where(ObjectiveRecountRow.programme_id.in_(wanted))
        if mentee_id is not None:
            query = query.where(ObjectiveRecountRow.mentee_id == mentee_id)
        if observer_id is not None:
            query = query.where(ObjectiveRecountRow.observer_id == observer_id)
        if quarter is not None:
            query = query.where(ObjectiveRecountRow.quarter == quarter)
        with self._session() as s:
            rows = s.scalars(
                query.order_by(ObjectiveRecountRow.created_at.desc(), ObjectiveRecountRow.id)
            )
            return [_recount(r) for r in rows]

    def validate(self, recount_id: str, statement: str) -> Recount:
        """Record the observer's statement; ``StoreError`` when the recount is unknown or
        already validated."""
        with self._session.begin() as s:
            row = s.get(ObjectiveRecountRow, recount_id, with_for_update=True)
            if row is None:
                raise StoreError(f"no recount {recount_id!r}")
            if row.validated_at is not None:
                raise StoreError("this recount was already validated; a validation is given once")
            row.validation, row.validated_at = statement, utcnow()
            return _recount(row)
