"""Pure domain: scoring, indicators, flags, decisions. No Flask, no SQLAlchemy, no I/O."""
