"""clipper: nightly media monitoring and analysed press digests."""

__version__ = "0.1.0"
