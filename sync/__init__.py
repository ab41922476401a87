"""Work that runs later: the outbox relay to the index and the scheduled jobs."""
