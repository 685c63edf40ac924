"""Edges: each chat platform turns neutral replies and alerts into its own messages."""
