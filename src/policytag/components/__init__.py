"""spaCy components of policytag. Importing this package registers their factories; spaCy also finds them
through the `spacy_factories` entry points declared in pyproject.toml."""

from importlib import import_module

for _name in ("amounts", "entities", "categories"):
    try:
        import_module(f"{__name__}.{_name}.component")
    except ModuleNotFoundError as _e:  # a component family not built yet
        if not (_e.name or "").startswith(f"{__name__}.{_name}"):
            raise
