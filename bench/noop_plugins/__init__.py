"""Two plugins that implement the per-request hooks and contribute nothing: pure framework cost."""
