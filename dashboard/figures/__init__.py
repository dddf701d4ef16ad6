"""Pure figure builders (``build_*``): DataFrame in, ``go.Figure`` out."""
