"""`python -m fiw.cli`: the `fiw` command, for environments without the console script."""

from fiw.cli import main

main()
