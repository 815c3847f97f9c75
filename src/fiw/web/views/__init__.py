"""One module per page or API noun; each exposes a `router`."""
