"""SQL → DataFrame, one module per topic. Queries take the engine first, use
bound parameters only, aggregate in SQL and return frames with stable columns."""
