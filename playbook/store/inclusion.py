"""The inclusion ports over SQLAlchemy: configured attributes and people's declarations
(``inclusion_tables``, migration 0019; new values wait and count in batches), and the
activity metadata the audit counts, read from the documents, entries and entry sources
tables (ids and dates only, never text)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from playbook.models import EntryStatus, Kind
from playbook.ports.inclusion import AttributeSpec, Declaration
from playbook.store.engine import SqlAdapter, aware
from playbook.store.inclusion_tables import InclusionConfigRow, InclusionDeclarationRow
from playbook.store.tables import DocumentRow, EntryRow, EntrySourceRow, new_id, utcnow

# The ``among`` sets are sent to the database in slices: SQLite caps bound parameters.
_SLICE = 500


def _day_bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    # From the first moment of ``start`` to before the first moment after ``end``, in UTC.
    low = dt.datetime.combine(start, dt.time.min, tzinfo=dt.UTC)
    high = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=dt.UTC)
    return low, high


class SqlInclusion(SqlAdapter):
    """``InclusionAttributes`` and ``InclusionActivity`` over one store."""

    # -- configured attributes ---------------------------------------------------------

    def set_attributes(self, programme_id: str, specs: Sequence[AttributeSpec]) -> None:
        """Replace the programme's configured attributes (in this order)."""
        data: list[dict[str, object]] = [
            {"name": s.name, "label": s.label, "values": list(s.values)} for s in specs
        ]
        with self._session.begin() as s:
            row = s.get(InclusionConfigRow, programme_id)
            if row is None:
                s.add(InclusionConfigRow(programme_id=programme_id, attributes=data))
            else:
                row.attributes = data
                row.updated_at = utcnow()

    def attributes(self, programme_id: str) -> list[AttributeSpec] | None:
        """The programme's configured attributes in order, or None when never configured."""
        with self._session() as s:
            row = s.get(InclusionConfigRow, programme_id)
        if row is None:
            return None
        return [
            AttributeSpec(
                str(a["name"]),
                str(a["label"]),
                tuple(str(v) for v in a.get("values") or ()),  # type: ignore[attr-defined]
            )
            for a in row.attributes
        ]

    # -- declarations --------------------------------------------------------------------

    def declare(
        self,
        programme_id: str,
        user_id: str,
        values: Mapping[str, str],
        consent_text: str,
        at: dt.datetime,
        *,
        batch_of: int,
    ) -> None:
        """Store (or replace) the person's values: new or changed ones wait, and each
        attribute's waiting values count together once ``batch_of`` people wait on it."""
        if not values:
            return
        mine = InclusionDeclarationRow.programme_id == programme_id
        with self._session.begin() as s:
            held = {
                r.attribute: r
                for r in s.scalars(
                    select(InclusionDeclarationRow).where(
                        mine,
                        InclusionDeclarationRow.user_id == user_id,
                        InclusionDeclarationRow.attribute.in_(list(values)),
                    )
                )
            }
            for name, value in values.items():
                row = held.get(name)
                if row is not None and row.value == value:
                    # The same value again keeps its place; only the consent is renewed
                    # (taking it out of the count and back would show it by difference).
                    row.consent_text, row.consented_at = consent_text, at
                    continue
                if row is not None:
                    # A change is a withdrawal plus a new waiting declaration: the old
                    # value is the person's data and goes at once.
                    s.delete(row)
                    s.flush()  # the unique key holds for the row added next
                s.add(
                    InclusionDeclarationRow(
                        id=new_id(),
                        programme_id=programme_id,
                        user_id=user_id,
                        attribute=name,
                        value=value,
                        consent_text=consent_text,
                        consented_at=at,
                        batch=None,
                    )
                )
            s.flush()
            for name in values:
                self._count_if_enough(s, programme_id, name, batch_of)

    @staticmethod
    def _count_if_enough(s: Session, programme_id: str, attribute: str, batch_of: int) -> None:
        # All of an attribute's waiting declarations join one new batch once enough people
        # wait (a person holds one row per attribute, so rows are people). Two declarations
        # racing may each see too few and leave a full batch waiting until the next one:
        # the safe side.
        of = (
            InclusionDeclarationRow.programme_id == programme_id,
            InclusionDeclarationRow.attribute == attribute,
        )
        waiting = s.scalar(
            select(func.count())
            .select_from(InclusionDeclarationRow)
            .where(*of, InclusionDeclarationRow.batch.is_(None))
        )
        if int(waiting or 0) < max(1, batch_of):
            return
        last = s.scalar(
            select(func.max(InclusionDeclarationRow.batch)).where(
                InclusionDeclarationRow.programme_id == programme_id
            )
        )
        s.execute(
            update(InclusionDeclarationRow)
            .where(*of, InclusionDeclarationRow.batch.is_(None))
            .values(batch=int(last or 0) + 1)
        )

    def waiting(self, programme_id: str) -> dict[str, int]:
        """How many people wait with a declaration of each attribute."""
        with self._session() as s:
            rows = s.execute(
                select(InclusionDeclarationRow.attribute, func.count())
                .where(
                    InclusionDeclarationRow.programme_id == programme_id,
                    InclusionDeclarationRow.batch.is_(None),
                )
                .group_by(InclusionDeclarationRow.attribute)
            ).all()
        return {str(a): int(n) for a, n in rows}

    def declared(self, programme_id: str, user_id: str) -> list[Declaration]:
        """One person's declarations in the programme, by attribute."""
        with self._session() as s:
            rows = s.scalars(
                select(InclusionDeclarationRow)
                .where(
                    InclusionDeclarationRow.programme_id == programme_id,
                    InclusionDeclarationRow.user_id == user_id,
                )
                .order_by(InclusionDeclarationRow.attribute)
            ).all()
        return [
            Declaration(
                r.attribute, r.value, r.consent_text, aware(r.consented_at), r.batch is not None
            )
            for r in rows
        ]

    def withdraw(
        self, programme_id: str, user_id: str, attributes: Iterable[str] | None = None
    ) -> int:
        """Delete the person's declarations (of these attributes, or all); how many went."""
        query = delete(InclusionDeclarationRow).where(
            InclusionDeclarationRow.programme_id == programme_id,
            InclusionDeclarationRow.user_id == user_id,
        )
        if attributes is not None:
            query = query.where(InclusionDeclarationRow.attribute.in_(list(attributes)))
        with self._session.begin() as s:
            return int(s.execute(query).rowcount or 0)  # type: ignore[attr-defined]

    def drop_attribute_values(
        self, programme_id: str, attribute: str, keep: Sequence[str] = ()
    ) -> int:
        """Delete everyone's declarations of an attribute, except those of values kept."""
        query = delete(InclusionDeclarationRow).where(
            InclusionDeclarationRow.programme_id == programme_id,
            InclusionDeclarationRow.attribute == attribute,
        )
        if keep:
            query = query.where(InclusionDeclarationRow.value.not_in(list(keep)))
        with self._session.begin() as s:
            return int(s.execute(query).rowcount or 0)  # type: ignore[attr-defined]

    def tally(
        self, programme_id: str, attributes: Sequence[str], among: Iterable[str]
    ) -> dict[tuple[str | None, ...], int]:
        """How many of ``among`` hold each combination of values of ``attributes``."""
        people = sorted(set(among))
        wanted = list(attributes)
        held: dict[str, dict[str, str]] = {u: {} for u in people}
        with self._session() as s:
            for i in range(0, len(people), _SLICE):
                rows = s.execute(
                    select(
                        InclusionDeclarationRow.user_id,
                        InclusionDeclarationRow.attribute,
                        InclusionDeclarationRow.value,
                    ).where(
                        InclusionDeclarationRow.programme_id == programme_id,
                        InclusionDeclarationRow.attribute.in_(wanted),
                        InclusionDeclarationRow.user_id.in_(people[i : i + _SLICE]),
                        # Waiting declarations count as not declared until their batch.
                        InclusionDeclarationRow.batch.is_not(None),
                    )
                ).all()
                for user_id, attribute, value in rows:
                    held[user_id][attribute] = value
        # Only the counts leave this method; the per-person map dies here.
        counts: dict[tuple[str | None, ...], int] = {}
        for values in held.values():
            key = tuple(values.get(a) for a in wanted)
            counts[key] = counts.get(key, 0) + 1
        return counts

    # -- activity metadata ---------------------------------------------------------------

    def writers(self, programme_id: str, start: dt.date, end: dt.date) -> set[str]:
        """Owners of live documents written between ``start`` and ``end`` (inclusive)."""
        low, high = _day_bounds(start, end)
        with self._session() as s:
            found = s.scalars(
                select(DocumentRow.owner_id)
                .where(
                    DocumentRow.programme_id == programme_id,
                    DocumentRow.deleted_at.is_(None),
                    DocumentRow.kind != Kind.ENTRY.value,
                    DocumentRow.created_at >= low,
                    DocumentRow.created_at < high,
                )
                .distinct()
            ).all()
        return set(found)

    def showcased_authors(self, programme_id: str, start: dt.date, end: dt.date) -> set[str]:
        """Authors of the live sources of entries published, or verified, in the period."""
        with self._session() as s:
            rows = s.execute(
                select(EntryRow.last_verified_at, EntryRow.updated_at, DocumentRow.owner_id)
                .join(EntrySourceRow, EntrySourceRow.entry_id == EntryRow.id)
                .join(DocumentRow, DocumentRow.id == EntrySourceRow.document_id)
                .where(
                    EntryRow.programme_id == programme_id,
                    EntryRow.status == EntryStatus.PUBLISHED.value,
                    DocumentRow.deleted_at.is_(None),
                )
            ).all()
        # The showcase's own rule (services.handoff.showcase): the last publication or
        # verification decides the day; compared in Python, as SQLite keeps no zone.
        return {
            owner
            for verified, updated, owner in rows
            if start <= aware(verified or updated).date() <= end
        }
