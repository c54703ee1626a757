"""Built-in Common Ground plugins, each declared as a ``commonground.plugins`` entry point."""
