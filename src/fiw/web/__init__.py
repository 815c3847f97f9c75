"""The web explorer and JSON API: server-rendered pages, each with a JSON twin."""

from fiw.web.app import create_app, open_snapshot, serve

__all__ = ["create_app", "open_snapshot", "serve"]
