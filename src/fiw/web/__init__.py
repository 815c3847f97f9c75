"""The web explorer and JSON API: server-rendered pages, each with a JSON twin."""

from fiw.web.app import create_app, serve
from fiw.web.data import Country, Dataset

__all__ = ["Country", "Dataset", "create_app", "serve"]
