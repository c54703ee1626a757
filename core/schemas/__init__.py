"""Marshmallow schemas: the one place input is validated, shared by the web forms and the API."""
