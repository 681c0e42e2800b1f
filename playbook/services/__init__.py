"""Use cases, one family per module. Each takes ports (``playbook.ports``) in its constructor
and imports no engine, model or database library; ``playbook.wiring`` builds them and the
front ends (``playbook.ui``, ``playbook.cli``) call only these."""
