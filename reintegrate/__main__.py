"""`python -m reintegrate`: the same as the `reintegrate` command."""

from reintegrate.cli import main

main()
