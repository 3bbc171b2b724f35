"""Inventory stage: where the scan starts, which files to read, in which language and role.

- `locate`: the repository, its root and the scope under it;
- `files`: the source files of a work tree or of a commit's tree, with their tags;
- `backend`: the build code a pyproject.toml declares (an in-tree PEP 517 backend, build hooks),
  tagged after parsing unless tests import it;
- `native`: the native code the repository already has (extension modules, JNI), read as text;
- `scripts`: after parsing, the standalone programs beside the packages (tagged "script").
"""

from analyzer.inventory.backend import tag_build_code
from analyzer.inventory.files import (declared_build, declared_build_tree, discover, discover_tree, glob_match,
                                      listing, python_module, source_file, tags, unranked_folders)
from analyzer.inventory.locate import locate
from analyzer.inventory.native import NativeSource, native_sources, unread_languages
from analyzer.inventory.scripts import tag_scripts
from analyzer.inventory.stubs import tag_platform_stubs

__all__ = ["NativeSource", "declared_build", "declared_build_tree", "discover", "discover_tree", "glob_match",
           "listing", "locate", "native_sources", "python_module", "source_file", "tag_build_code",
           "tag_platform_stubs", "tag_scripts", "tags", "unranked_folders", "unread_languages"]
