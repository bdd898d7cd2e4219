"""The compliance site: page builders over the core library and the MkDocs plugin that adds them."""
