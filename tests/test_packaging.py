"""The package itself: shipped model files and their checksums, the version, the install command in MissingExtra."""

from __future__ import annotations

import hashlib
import re
import shlex
import sys
import tomllib
from importlib import resources
from pathlib import Path

import pytest

from keyframeface import assets
from keyframeface.errors import KeyframeFaceError, MissingExtra, install_command

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("name", sorted(assets.ASSETS))
def test_each_shipped_model_file_matches_the_checksum_in_its_readme(name):
    path = assets.asset_path(name)
    readme = (ROOT / "src" / "keyframeface" / "assets" / "README.md").read_text(encoding="utf-8")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    assert re.search(rf"`{re.escape(name)}`.*`{digest}`", readme), f"README.md's row for {name} lacks {digest}"


def test_a_damaged_model_file_is_an_error_that_says_to_reinstall(tmp_path, monkeypatch):
    (tmp_path / "facecap.glb").write_bytes(b"X" + assets.asset_path("facecap.glb").read_bytes()[1:])
    monkeypatch.setattr(assets, "HERE", tmp_path)
    assets.asset_path.cache_clear()
    try:
        with pytest.raises(KeyframeFaceError, match=r"facecap\.glb: sha256 .* damaged: reinstall keyframeface"):
            assets.asset_path("facecap.glb")
        (tmp_path / "facecap.glb").unlink()
        with pytest.raises(KeyframeFaceError, match=r"facecap\.glb: .* cannot be read"):
            assets.asset_path("facecap.glb")
    finally:
        monkeypatch.undo()
        assets.asset_path.cache_clear()


def test_the_studio_files_ship_inside_the_package_with_their_licences():
    static = resources.files("keyframeface.web") / "static" / "vendor"
    for part in ("three/LICENSE", "three/build/three.module.js", "three/examples/jsm/loaders/GLTFLoader.js",
                 "three/examples/jsm/libs/basis/basis_transcoder.wasm", "swagger/LICENSE",
                 "swagger/swagger-ui-bundle.js", "swagger/swagger-ui.css"):
        assert (static / part).is_file(), part
    assert "MIT License" in (static / "three" / "LICENSE").read_text(encoding="utf-8")
    assert "Apache License" in (static / "swagger" / "LICENSE").read_text(encoding="utf-8")


def test_the_changelog_names_the_version_in_pyproject():
    version = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    first = re.search(r"^## \[?(\d+\.\d+\.\d+)\]?", changelog, re.M)
    assert first and first.group(1) == version, (first and first.group(0), version)


def test_install_command_uses_this_interpreter_and_names_the_extra():
    command = shlex.split(install_command("track"))
    assert command[:4] == [sys.executable, "-m", "pip", "install"] and command[4].endswith("[track]")
    assert str(MissingExtra("capture", "track", "mediapipe")).endswith(install_command("track"))
