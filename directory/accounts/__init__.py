"""Who may act: API clients and their keys (stored hashed), and the records that make
their requests safe to retry."""
