"""`python -m reintegrate`: the same as the `reintegrate` command."""

from reintegrate.cli.main import main

main()
