"""File and wire formats: read/write only, no animation math.

Import the module you need (``formats.livelink_csv``, ``formats.keyframes_json``,
``formats.livelink_udp``, ``formats.gltf``); nothing is imported here so the CLI starts fast.
"""
