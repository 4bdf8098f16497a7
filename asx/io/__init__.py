"""Input and output at the edges: tabular files, output formats, masking."""
