"""Quote fidelity: how one rendering of a quoted passage relates to the other renderings
of the same passage by the same speaker (verbatim, trimmed, spliced, altered,
paraphrased), and which rendering was first on record."""
