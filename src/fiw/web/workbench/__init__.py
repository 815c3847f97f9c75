"""The workbench's web face: the JSON API, its auth and CSRF checks, and the HTML pages."""
