"""coop: follows international law-enforcement and judicial cooperation news and posts it to chat."""

__version__ = "0.1.0"
