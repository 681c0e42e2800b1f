"""The inclusion audit (issue 21, item 4): optional, self-declared, consented attributes
used only in aggregate. ``service`` holds the use cases, ``config`` what is asked and the
consent, ``audit`` the counts and what to withhold, ``cells`` the small-cell protection of
linked tables, ``tables`` the figures."""

from playbook.services.health.inclusion.service import AuditView, InclusionService

__all__ = ["AuditView", "InclusionService"]
