"""Professionals' case watches: the pure rules (pseudonymous references, events) and
the service that keeps watches and their alerts."""
