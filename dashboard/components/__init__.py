"""Pure component builders (``make_*``): data in, Dash components out."""
