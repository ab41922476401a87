"""Data for development and benchmarks, not domain: the demo catalogue and the
synthetic catalogue generator."""
