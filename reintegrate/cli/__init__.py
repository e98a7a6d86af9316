"""The command line: `reintegrate` (`main`), one module per group of commands."""
