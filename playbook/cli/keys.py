"""`playbook keys`: encryption keys, created, rotated and retired."""

from __future__ import annotations

import typer

from playbook.cli.common import container, friendly, out

keys_app = typer.Typer(help="Encryption keys: create, rotate, retire.", no_args_is_help=True)


@keys_app.command("new")
def keys_new() -> None:
    """Print a fresh encryption key (for PLAYBOOK_ENCRYPTION_KEYS)."""
    from playbook.crypto import new_key

    out.print(new_key(), highlight=False)


@keys_app.command("status")
@friendly
def keys_status() -> None:
    """How many keys are held and how many stored values an older key still protects."""
    c = container()
    source = "environment" if c.settings.encryption_keys else str(c.settings.key_file)
    n = len(c.keyring.keys) - 1  # the last is version 0.1's derived key, read-only
    out.print(f"{n} key(s) from {source}; {c.privacy.stale_values()} value(s) under an older key.")


@keys_app.command("rotate")
@friendly
def keys_rotate() -> None:
    """Make a new key the newest and re-encrypt every stored value with it."""
    from playbook.crypto import new_key, read_key_file, write_key_file

    c = container()
    if c.settings.encryption_keys is None:
        path = c.settings.key_file
        keys = read_key_file(path) if path.exists() else []
        write_key_file(path, [new_key(), *keys])
        c.reload_keyring()
    report = c.privacy.rotate()
    out.print(f"Re-encrypted {report.reencrypted} value(s) with the newest key.")
    if c.settings.encryption_keys is None:
        out.print("Restart running apps, then run `playbook keys retire` to drop the old keys.")
    else:
        out.print(
            "When `playbook keys status` shows 0 under an older key, remove the old keys "
            "from PLAYBOOK_ENCRYPTION_KEYS."
        )


@keys_app.command("retire")
@friendly
def keys_retire() -> None:
    """Re-encrypt anything still under an old key, then keep only the newest key."""
    from playbook.crypto import write_key_file

    c = container()
    report = c.privacy.rotate()
    if report.remaining:
        raise ValueError(f"{report.remaining} value(s) could not be re-encrypted; keys kept")
    if c.settings.encryption_keys is None:
        write_key_file(c.settings.key_file, [c.keyring.keys[0]])
        c.reload_keyring()
        out.print(f"Old keys removed from {c.settings.key_file}.")
    else:
        out.print("Every value uses the newest key; remove the others from the environment.")
