"""`python -m playbook.cli`: the same app as the `playbook` script."""

from playbook.cli import app

# Click names the program after argv[0] (here __main__.py); the script's name keeps the help
# and error messages identical to `playbook`.
app(prog_name="playbook")
