"""Server-rendered pages (Jinja2) calling the same domain services as the API."""
