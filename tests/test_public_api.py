"""The public API: __all__ is sorted, complete and importable."""

import keyframeface


def test_all_is_sorted_and_resolves():
    names = keyframeface.__all__
    assert names == sorted(names, key=lambda n: (not n.isupper(), n))
    for name in names:
        assert getattr(keyframeface, name) is not None


def test_error_tree_exit_codes():
    from keyframeface import BackendError, InputError, KeyframeFaceError, MissingExtra

    assert all(issubclass(e, KeyframeFaceError) for e in (InputError, BackendError, MissingExtra))
    assert InputError("x").exit_code == 2
    assert MissingExtra("render", "track", "mediapipe").exit_code == 3
    message = str(MissingExtra("render", "track", "mediapipe"))
    assert message.startswith("render needs the 'mediapipe' package: ") and " -m pip install " in message
    assert message.endswith("[track]'")
    err = InputError("1.7 not in [0, 1]", path="take.csv", line=12, field="JawOpen")
    assert str(err) == "take.csv:12: field 'JawOpen': 1.7 not in [0, 1]"
