"""The catalogue: organisations, locations, offers, their figures, contracts and norms;
the pure rules over them, the use-cases that write them, and the reads that show them."""
