"""Built-in commands: one module per command group (``case.py`` → ``asx case``)."""
