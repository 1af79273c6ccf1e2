"""`checker init DIR`: a new company's pack to start from. It writes a policy with one clause,
a rule pack (data model, parameters, settings, one rule with its test cases), a mapping and a
tiny export it reads, and the JSON Schemas beside them, which every file names on its first
line so that an editor checks it as it is typed."""
from __future__ import annotations

import argparse
import os
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path

from .problems import UserError

SCHEMAS = "schemas"   # the folder of DIR the files' `$schema` lines point into


def run(args: argparse.Namespace) -> int:
    written = write_skeleton(args.dir, args.force)
    shown = args.dir
    print(f"wrote {len(written)} files to {shown}: policy/, rules/, mapping.yaml, export/ and {SCHEMAS}/\n"
          "next, in that folder:\n"
          "  checker validate            # the pack's files, against their schemas and each other\n"
          "  checker test                # the cases written inside the rules\n"
          "  checker check --data export --mapping mapping.yaml --out reports")
    return 0


def schema_line(name: str, folder: Path, rules_dir: Path) -> str:
    """The first line of a file of the pack written into `folder` that names its JSON Schema, so
    an editor checks the file as it is typed: the schemas beside the pack (DIR/schemas, where
    `checker init DIR` puts them) when they are there, else the installed checker's own."""
    beside = rules_dir.resolve().parent / SCHEMAS / f"{name}.schema.json"
    with resources.as_file(resources.files("checker").joinpath("schemas", f"{name}.schema.json")) as packaged:
        schema = beside if beside.is_file() else packaged
        try:
            where = Path(os.path.relpath(schema, folder)).as_posix()
        except ValueError:    # another drive than the file's: only the whole path reaches it
            where = schema.as_uri()
    return f"# yaml-language-server: $schema={where}"


def write_skeleton(target: Path, force: bool = False) -> list[Path]:
    """Write the skeleton and the schemas into ``target``, which must be new or empty unless
    ``force`` (then the skeleton's files replace those of the same name; no other is touched).
    Returns the files written."""
    if target.exists() and not target.is_dir():
        raise UserError(f"'{target}' is a file; give a folder to write the new pack into")
    if target.is_dir() and any(target.iterdir()) and not force:
        raise UserError(f"'{target}' is not empty; give a new or empty folder, or pass --force to write the "
                        f"skeleton's files over those of the same name")
    package = resources.files("checker")
    written = _copy_tree(package.joinpath("skeleton"), target)
    schemas = package.joinpath("schemas")
    written += [_copy(schema, target / SCHEMAS / schema.name) for schema in sorted(schemas.iterdir(), key=_name)
                if schema.name.endswith(".schema.json")]
    return written


def _copy_tree(source: Traversable, target: Path) -> list[Path]:
    written = []
    for item in sorted(source.iterdir(), key=_name):
        if item.is_dir():
            written += _copy_tree(item, target / item.name)
        elif not item.name.startswith("."):
            written.append(_copy(item, target / item.name))
    return written


def _copy(source: Traversable, target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(source.read_bytes())
    return target


def _name(item: Traversable) -> str:
    return item.name
