"""Demo data and generators of realistic registers (used by the demo, tests and benches)."""
