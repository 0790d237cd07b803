"""techmatch: the matching engine."""
