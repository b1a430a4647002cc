"""Claims: the same speaker saying the same thing, across articles and their copies."""
