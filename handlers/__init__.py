"""Platform-neutral chat commands: parse text, run it against the store, return a neutral reply."""
