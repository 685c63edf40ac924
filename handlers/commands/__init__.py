"""One module per chat command; each exposes `run(command, context, deps) -> Reply`."""
