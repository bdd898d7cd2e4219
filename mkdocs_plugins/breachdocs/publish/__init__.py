"""Publishing: the release switch (build into a fresh folder, then switch the published path) and the
review diff between two revisions."""
