"""Pure engines: plain data in, plain results out.

Nothing here imports Django or any Commonweal app (an import-linter contract checks it).
Each engine is a sub-package with one public surface in its ``__init__.py`` and one
``<Engine>Error(ValueError)``.
"""
