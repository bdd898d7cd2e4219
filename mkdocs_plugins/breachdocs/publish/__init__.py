"""Publishing: the one output writer, manifests, filing records, diffs."""
