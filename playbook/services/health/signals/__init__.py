"""Early-warning signals (issue 21, item 1): ``kinds`` holds the pure rules that make each
kind fire, ``service`` the use cases (the board, snooze, resolve, the sponsors' counts)."""

from playbook.services.health.signals.kinds import Signal, SignalKind, Thresholds
from playbook.services.health.signals.service import Board, SignalService

__all__ = ["Board", "Signal", "SignalKind", "SignalService", "Thresholds"]
