"""`python -m clipper`: the same command line as `clipper`."""

from clipper.cli import main

main()
