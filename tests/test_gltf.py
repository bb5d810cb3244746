"""glTF morph-target animation: parsed back by hand, and by Khronos' validator when node has it."""

from __future__ import annotations

import base64
import json
import shutil
import struct
import subprocess

import numpy as np
import pytest

from keyframeface.channels import BLENDSHAPES, CHANNEL_INDEX
from keyframeface.errors import InputError
from keyframeface.formats.gltf import write_gltf

COMPONENTS = {5126: np.float32, 5123: np.uint16}
WIDTH = {"SCALAR": 1, "VEC3": 3, "VEC4": 4}


def animation_values(frames: int = 45) -> np.ndarray:
    rng = np.random.default_rng(2)
    v = rng.uniform(0, 1, (frames, 61))
    v[:, 52:] = rng.uniform(-0.3, 0.3, (frames, 9))
    return v


def read_accessor(doc: dict, data: bytes, index: int) -> np.ndarray:
    acc = doc["accessors"][index]
    view = doc["bufferViews"][acc["bufferView"]]
    dtype = np.dtype(COMPONENTS[acc["componentType"]]).newbyteorder("<")
    n = acc["count"] * WIDTH[acc["type"]]
    out = np.frombuffer(data, dtype, n, view["byteOffset"] + acc.get("byteOffset", 0))
    assert out.nbytes <= view["byteLength"]
    return out.reshape(acc["count"], -1) if WIDTH[acc["type"]] > 1 else out


def load(path) -> tuple[dict, bytes]:
    raw = path.read_bytes()
    if raw[:4] == b"glTF":
        magic, version, length = struct.unpack("<4sII", raw[:12])
        assert version == 2 and length == len(raw)
        jlen, jtype = struct.unpack("<I4s", raw[12:20])
        assert jtype == b"JSON" and jlen % 4 == 0
        doc = json.loads(raw[20:20 + jlen])
        blen, btype = struct.unpack("<I4s", raw[20 + jlen:28 + jlen])
        assert btype == b"BIN\0"
        return doc, raw[28 + jlen:28 + jlen + blen]
    doc = json.loads(raw)
    uri = doc["buffers"][0]["uri"]
    if uri.startswith("data:"):
        return doc, base64.b64decode(uri.split(",", 1)[1])
    return doc, (path.parent / uri).read_bytes()


@pytest.mark.parametrize("name,embed", [("anim.gltf", True), ("anim.glb", True), ("anim.gltf", False)])
def test_morph_targets_and_weights_animation(tmp_path, name, embed):
    values = animation_values()
    path = tmp_path / name
    write_gltf(path, values, 30.0, embed=embed)
    doc, data = load(path)
    assert len(data) >= doc["buffers"][0]["byteLength"]
    mesh = doc["meshes"][0]
    assert mesh["extras"]["targetNames"] == list(BLENDSHAPES)
    prim = mesh["primitives"][0]
    assert len(prim["targets"]) == 52 and len(mesh["weights"]) == 52
    base = read_accessor(doc, data, prim["attributes"]["POSITION"])
    offsets = [read_accessor(doc, data, t["POSITION"]) for t in prim["targets"]]
    assert all(np.abs(o).max() > 0.005 for o in offsets)  # every target moves something
    peaks = {int(np.argmax(o[:, 2])) for o in offsets}
    assert len(peaks) >= 40  # and the bumps sit at (mostly) different vertices
    indices = read_accessor(doc, data, prim["indices"])
    assert indices.max() < len(base) and len(indices) % 3 == 0

    anim = doc["animations"][0]
    weights_channel = next(c for c in anim["channels"] if c["target"]["path"] == "weights")
    sampler = anim["samplers"][weights_channel["sampler"]]
    assert sampler["interpolation"] == "LINEAR" and weights_channel["target"]["node"] == 0
    times = read_accessor(doc, data, sampler["input"])
    assert np.allclose(times, np.arange(45) / 30.0) and doc["accessors"][sampler["input"]]["max"][0] == times[-1]
    weights = read_accessor(doc, data, sampler["output"]).reshape(45, 52)
    assert np.array_equal(weights, values[:, :52].astype(np.float32))


def test_head_rotation_follows_pose_conventions(tmp_path):
    values = np.zeros((3, 61))
    values[1, CHANNEL_INDEX["HeadYaw"]] = 0.5  # toward the subject's right = -X in glTF
    values[2, CHANNEL_INDEX["HeadPitch"]] = 0.4  # up = +Y
    write_gltf(tmp_path / "h.gltf", values, 24.0)
    doc, data = load(tmp_path / "h.gltf")
    anim = doc["animations"][0]
    rot = next(c for c in anim["channels"] if c["target"]["path"] == "rotation")
    q = read_accessor(doc, data, anim["samplers"][rot["sampler"]]["output"]).astype(float)
    assert np.allclose(np.linalg.norm(q, axis=1), 1, atol=1e-6)

    def forward(quat):  # rotate +Z (the face's forward) by quaternion (x, y, z, w)
        x, y, z, w = quat
        u = np.array([x, y, z])
        f = np.array([0.0, 0.0, 1.0])
        return f + 2 * w * np.cross(u, f) + 2 * np.cross(u, np.cross(u, f))

    assert np.allclose(forward(q[0]), [0, 0, 1], atol=1e-6)
    assert forward(q[1])[0] < -0.4  # looks toward -X
    assert forward(q[2])[1] > 0.35  # looks up


def test_names_subset_and_bad_input(tmp_path):
    write_gltf(tmp_path / "s.gltf", animation_values(5), 30.0, names=["JawOpen", "MouthSmileLeft"], head=False)
    doc, data = load(tmp_path / "s.gltf")
    assert doc["meshes"][0]["extras"]["targetNames"] == ["JawOpen", "MouthSmileLeft"]
    assert len(doc["animations"][0]["channels"]) == 1
    with pytest.raises(InputError, match="names"):
        write_gltf(tmp_path / "b.gltf", animation_values(5), 30.0, names=["Wink"])
    with pytest.raises(InputError, match="fps"):
        write_gltf(tmp_path / "b.gltf", animation_values(5), 0.0)
    with pytest.raises(InputError, match="values"):
        write_gltf(tmp_path / "b.gltf", np.zeros((0, 61)), 30.0)
    assert not (tmp_path / "b.gltf").exists()


VALIDATE = """
const fs = require('fs');
const validator = require('gltf-validator');
validator.validateBytes(new Uint8Array(fs.readFileSync(process.argv[1])))
  .then((r) => console.log(JSON.stringify(r.issues)))
  .catch((e) => { console.error(e); process.exit(2); });
"""


def node_validator() -> str:
    """Path of node when it can require('gltf-validator') (NODE_PATH or a global install), else skip."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("node not installed (CI: apt-get install nodejs)")
    found = subprocess.run([node, "-e", "require.resolve('gltf-validator')"], capture_output=True)
    if found.returncode:
        pytest.skip("gltf-validator not found by node (CI: npm install --prefix DIR gltf-validator; "
                    "NODE_PATH=DIR/node_modules)")
    return node


@pytest.mark.parametrize("name", ["v.gltf", "v.glb"])
def test_khronos_validator_finds_no_errors_or_warnings(tmp_path, name):
    node = node_validator()
    write_gltf(tmp_path / name, animation_values(), 30.0)
    run = subprocess.run([node, "-e", VALIDATE, str(tmp_path / name)], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    issues = json.loads(run.stdout)
    assert issues["numErrors"] == 0 and issues["numWarnings"] == 0, issues["messages"]
