"""`python -m saylau` runs the command line."""

from saylau.cli import main

main()
