"""typer's help and refusals without the two rich modules they never use here: `rich.markdown` and `rich.traceback`.

Why: `typer.rich_utils`, which lays out every help page and usage error, imports `rich.markdown.Markdown` (and
with it markdown-it) for help written in Markdown, and `rich.traceback.Traceback` (with rich.pretty and attrs)
for typer's pretty exceptions, 0.03-0.04 s of a first `saylau --help`'s 0.16 s. saylau's help is rich markup
(typer's default `rich_markup_mode`) and its app turns pretty exceptions off, so neither is used. While
`typer.rich_utils` is imported (`lean`), each module is stood in for by one that imports the real module
the first time anything of it is used: a `Markdown` or `Traceback` made, a class attribute read, an instance
checked. Once `typer.rich_utils` is imported the stand-ins leave `sys.modules`, and any later `import
rich.markdown` gets rich's own. A module already imported is not stood in for.
"""

from __future__ import annotations

import importlib
import sys
import types
from importlib.abc import Loader, MetaPathFinder
from importlib.machinery import ModuleSpec, PathFinder
from typing import Any

__all__ = ["LATER", "lean"]

LATER = {"rich.markdown": "Markdown", "rich.traceback": "Traceback"}
"""The modules `typer.rich_utils` imports and saylau never uses, with the one name it takes from each."""


def lean() -> None:
    """Have `typer.rich_utils`, when it is imported, import none of `LATER` until it uses them."""
    if "typer.rich_utils" not in sys.modules and not any(isinstance(f, _Finder) for f in sys.meta_path):
        sys.meta_path.insert(0, _Finder())


class _Finder(MetaPathFinder):
    """Finds `typer.rich_utils` as Python would, and loads it with the stand-ins in place."""

    def find_spec(self, fullname: str, path: Any = None, target: types.ModuleType | None = None) -> ModuleSpec | None:
        if fullname != "typer.rich_utils":
            return None
        sys.meta_path.remove(self)  # once
        spec = PathFinder.find_spec(fullname, path)
        if spec is not None and spec.loader is not None:
            spec.loader = _Loader(spec.loader)
        return spec


class _Loader(Loader):
    """`typer.rich_utils`' own loader, executing the module with the stand-ins in `sys.modules`."""

    def __init__(self, loader: Loader) -> None:
        self._loader = loader

    def __getattr__(self, name: str) -> Any:  # get_source, get_filename, is_package...: the loader's own
        return getattr(self._loader, name)

    def create_module(self, spec: ModuleSpec) -> types.ModuleType | None:
        return self._loader.create_module(spec)

    def exec_module(self, module: types.ModuleType) -> None:
        stand_ins = {name: _stand_in(name, attr) for name, attr in LATER.items() if name not in sys.modules}
        sys.modules.update(stand_ins)
        try:
            self._loader.exec_module(module)
        finally:
            for name, stand_in in stand_ins.items():
                if sys.modules.get(name) is stand_in:
                    del sys.modules[name]


def _real(name: str) -> types.ModuleType:
    """The real module `name` (a stand-in is never in `sys.modules` once `typer.rich_utils` is imported)."""
    module = sys.modules.get(name)
    if module is None or getattr(module, "_stands_in", False):
        sys.modules.pop(name, None)
        module = importlib.import_module(name)
    return module


class _Later(type):
    """The class of a stand-in class: what is asked of the class is asked of the real one."""

    _module: str
    _name: str

    def _class(cls) -> Any:
        return getattr(_real(cls._module), cls._name)

    def __call__(cls, *args: Any, **kwargs: Any) -> Any:
        return cls._class()(*args, **kwargs)

    def __getattr__(cls, attribute: str) -> Any:
        if attribute.startswith("__"):
            raise AttributeError(attribute)
        return getattr(cls._class(), attribute)

    def __instancecheck__(cls, instance: Any) -> bool:
        return isinstance(instance, cls._class())

    def __subclasscheck__(cls, subclass: type) -> bool:
        return issubclass(subclass, cls._class())


def _stand_in(name: str, attr: str) -> types.ModuleType:
    """A module `name` whose `attr` is a stand-in class, and whose every other name is the real module's."""
    module = types.ModuleType(name)
    module.__dict__["_stands_in"] = True
    module.__dict__[attr] = _Later(attr, (), {"_module": name, "_name": attr})

    def __getattr__(attribute: str) -> Any:
        if attribute.startswith("__"):  # the import system asking whether it is a package (`__path__`)...
            raise AttributeError(attribute)
        return getattr(_real(name), attribute)

    module.__dict__["__getattr__"] = __getattr__
    return module
