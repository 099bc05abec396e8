"""Public routing benchmarks: instance readers, an exact checker, and the planner's CLI."""
