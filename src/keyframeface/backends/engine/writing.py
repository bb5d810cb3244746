"""Writing a resolved action into ``Layers``: rules scaled by degree and placed on the subject's own side, gaze and
head moves as blendshapes plus angles, whole-expression and AU bundles."""

from __future__ import annotations

from . import lexicon as lx
from .frame import frame_words
from ...channels import CHANNEL_INDEX, REGIONS
from ...data import ContributionKind
from .clauses import Clause, Token, _KNOWN
from .compose import MANNER_WEIGHT, Layers
from .reading import _LIP_REGIONS, _actions_in, _clause_side, _has_region_action, _is_manner, _suppressed
from .rules import _Action, _GAZE_MOTIONS, _HEAD_LATERAL, _Region, _rule_for, _scale

GAZE_ANGLE = 0.6  # eye yaw/pitch (~radians) per unit of EyeLook* blendshape
_BROW_LOWERING = frozenset({"down", "together", "frown", "angry", "crinkle", "tense", "narrow", "worry", "sad"})
_TIPPING = frame_words().sets["tipping"]


def _apply(action: _Action, region: _Region, layers: Layers, clause: Clause, toks: list[Token],
           level: tuple[float, bool] | None, sides: tuple[str | None, float | None],
           directions: list[str]) -> None:
    """Turn one action on one region into layer writes (gaze, head, relax and RULES)."""
    motion = action.motion or ""
    verb = lx.lemma(action.verb, _KNOWN)
    words = _words(clause, action, region)
    side = region.side or sides[0]
    share = region.onesided if region.onesided is not None else sides[1]
    if region.key in ("brow", "inner_brow", "forehead") and motion in _BROW_LOWERING and not any(
            t.raw in ("one", "single") for t in toks):
        share = sides[1]  # "a furrowed brow" is both brows; "a raised brow" is one

    if motion == "relax" and region.key in _LIP_REGIONS and any(t.lemma == "flat" for t in toks) and not any(
            t.lemma in ("side", "half") for t in toks):  # "the right side stays flat": that side at rest
        wide = any(t.lemma == "wide" for t in toks)
        motion = "stretch" if wide else "press"  # "lips flat": a line; "wide flat mouth": stretched
    if motion == "relax" and region.key in ("eye", "gaze") and {"ahead", "forward"} & set(directions):
        layers.relax("gaze", words)  # "the eyes return to center": gaze ahead, lids as they are
        return
    if motion == "relax" or (motion == "soften" and len(_actions_in(toks)) <= 1):
        layers.relax(region.key, words, side)
        return
    if region.key in ("mouth", "lips", "corner") and motion == "lateral" and not {"left", "right"} & set(
            directions) and verb in ("pull", "draw", "stretch", "spread", "tug", "yank", "drag"):
        motion = "stretch"  # "pull the lips sideways": both corners out, not a shift
    if region.key in ("mouth", "lips", "jaw") and {"left", "right"} & set(directions) and motion not in (
            "lateral", "twist", "quirk", "curl"):
        motion = "lateral"  # "mouth scrunched over to the right"
    vertical = next((d for d in directions if d in ("up", "down")), None)
    if region.key in ("brow", "inner_brow", "forehead") and motion == "together" and vertical == "up":
        motion = "worry"  # "brows knitted upward": pinched up in the middle
    if region.key == "cheek" and motion == "puff" and any(t.raw in ("upward", "upwards") for t in toks):
        motion = "up"  # "the cheeks swell upward": raised, not puffed
    if motion in ("tilt", "turn", "twist") and vertical and region.key not in ("head", "face", "chin", "gaze", "eye"):
        motion = vertical  # "the inner brows tilt up", "the corners turn down"
    if motion == "open" and region.key in ("eye", "lid", "upper_lid") and any("comparative" in t.roles for t in toks):
        motion = "widen"  # "the eyes open a little wider": as far as the comparative says
    elif motion == "open" and region.key in ("eye", "lid", "upper_lid") and (
            any(t.lemma in ("wide", "widely", "big") for t in toks) or (level is not None and level[0] >= 0.7)):
        motion, level = "wideopen", None  # "eyes opened very wide", "eyes very open"
    if motion == "close" and region.key in _LIP_REGIONS and any(
            t.lemma in ("tight", "tightly", "firmly", "hard") for t in toks):
        motion = "press"  # "lips tightly closed"
    if region.key in ("gaze", "eye") and motion in _GAZE_MOTIONS and (region.key == "gaze" or motion != "back"):
        _gaze(action, layers, clause, words, level, directions, negated=clause.negated, angle=_angle(toks))
        return
    if region.key in ("head", "face") and motion in ("lateral", "down", "droop", "out") and {"left", "right"} & set(
            directions) and (any(t.lemma == "shoulder" for t in toks) or verb in _TIPPING):
        motion = "tilt"  # "his head tips toward his right shoulder", "her head lolls to the left"
    if region.key == "chin" and motion == "lateral" and verb not in ("turn", "point", "swivel", "rotate"):
        region = _Region("jaw", region.pos, region.side, region.onesided)  # "the chin moves sideways"
    if region.key in _LIP_REGIONS and motion == "press" and {"in", "inward"} & set(directions):
        motion = "in"  # "presses her upper lip inward"
    if region.key in ("head", "face", "chin") and motion in _HEAD_LATERAL:
        _head(motion, layers, words, level, directions, negated=clause.negated, angle=_angle(toks))
        return
    rule = _rule_for(region.key, motion)
    if rule is None and directions:  # "the cheeks round up", "her tongue peeks out": the direction says it
        rule = _rule_for(region.key, lx.GENERIC_DIRECTION.get(directions[0], directions[0]))
    if rule is None and action.expression is not None:
        _apply_bundle(action, layers, clause, toks, level, sides)
        return
    if rule is None:
        return
    bundle, name = rule
    expanded = _expand(bundle, level, side, share, directions)
    layers.write("explicit", expanded, words, name, negated=clause.negated)


def _apply_bundle(action: _Action, layers: Layers, clause: Clause, toks: list[Token],
                  level: tuple[float, bool] | None, sides: tuple[str | None, float | None]) -> None:
    """Write a whole-expression, AU or literal bundle (no region needed)."""
    if action.bundle is not None:
        bundle, name = action.bundle
    else:
        _, bundle, name = lx.EXPRESSIONS[action.expression or ""]
    layer = "explicit" if action.expression is None else "expression"
    if action.expression is not None and not clause.negated:
        layers.expressions.append(action.expression)
    held_back = action.expression in ("smile", "grin", "laugh") and _suppressed(toks, action.pos)
    if held_back:  # "stifles a grin": a trace of it, whatever its size
        level = (min(level[0], 0.3) if level else 0.2, False)
    if action.expression is not None and (_is_manner(toks, action.pos, clause) or (
            action.expression in lx.EMOTIONS and _has_region_action(toks))):
        layer = "manner"  # "smiles sadly", "in fear": colours only what the main words leave free, damped
        level = (MANNER_WEIGHT * (level[0] if level else lx.PLAIN), False)
    elif action.expression in lx.EMOTIONS:
        layer = "emotion"  # "lips stretched, terrified": damped too when the text moves parts explicitly
    layers.write(layer, _expand(bundle, level, sides[0], sides[1], []), _words(clause, action, None), name,
                 negated=clause.negated, kind=ContributionKind.LITERAL if action.literal else None)
    if held_back:
        layers.write("explicit", {"JawOpen": 0.0}, _words(clause, action, None),
                     "suppressed smile: mouth kept shut (jaw released)", kind=ContributionKind.RELEASE)
        layers.write("explicit", {"MouthPressLeft": 0.35, "MouthPressRight": 0.35, "MouthRollLower": 0.15},
                     _words(clause, action, None), "suppressed smile: lips pressed (AU24+28)",
                     negated=clause.negated)


def _expand(bundle: dict[str, float], level: tuple[float, bool] | None, side: str | None,
            share: float | None, directions: list[str]) -> dict[str, float]:
    """Base names -> concrete channels: sides, defaults for one-sided, pose pseudo-channels."""
    out: dict[str, float] = {}
    lateral = next((d for d in directions if d in ("left", "right")), "aside" if "aside" in directions else None)
    for base, value in bundle.items():
        v = _scale(value, level)
        one_sided = base.endswith("@")
        base = base.rstrip("@")
        if base.startswith("LATERAL:"):
            d = "Left" if lateral in (None, "aside") and lx.DEFAULT_SIDE == "Left" else (
                lateral.capitalize() if lateral not in (None, "aside") else lx.DEFAULT_SIDE)
            if side is not None and lateral is None:
                d = side
            out[base.split(":")[1] + d] = v
        elif base.startswith(("GAZE_", "HEAD_")):
            out.update(_pose_pseudo(base, v, (side or lx.DEFAULT_SIDE) if one_sided else None))
        elif base + "Left" in CHANNEL_INDEX:
            main = side or (lx.DEFAULT_SIDE if one_sided or share is not None else None)
            if main is None:
                out[base + "Left"] = out[base + "Right"] = v
            else:
                other = "Right" if main == "Left" else "Left"
                out[base + main] = v
                if share:  # a one-sided action leaves the other side alone (a zero would release it)
                    out[base + other] = v * share
        elif base == "EyeLookIn":
            out.update({"EyeLookInLeft": v, "EyeLookInRight": v, "LeftEyeYaw": GAZE_ANGLE * v,
                        "RightEyeYaw": -GAZE_ANGLE * v})
        else:
            out[base] = v
    if "BrowInnerUp" in out and (side or share is not None) and any(b.startswith("BrowOuterUp") for b in bundle):
        out["BrowInnerUp"] *= 0.5  # one brow raised: ARKit's single inner-brow channel moves half as much
    return out


def _pose_pseudo(base: str, v: float, side: str | None) -> dict[str, float]:
    """GAZE_UP/DOWN/LEFT/RIGHT and HEAD_YAW/PITCH/ROLL -> real channels."""
    if base == "HEAD_PITCH":
        return {"HeadPitch": v}
    if base in ("HEAD_YAW", "HEAD_ROLL"):  # signed as written, or toward ``side`` when one-sided
        sign = 1.0 if side is None else (1.0 if side == "Right" else -1.0)
        return {"HeadYaw" if base == "HEAD_YAW" else "HeadRoll": sign * v}
    return _gaze_values({base[5:].lower(): v})


def _gaze_values(amounts: dict[str, float]) -> dict[str, float]:
    """{'up': v, 'left': v, ...} -> EyeLook* blendshapes plus matching eye yaw/pitch."""
    out: dict[str, float] = {}
    yaw = pitch = 0.0
    for d, v in amounts.items():
        if d == "up":
            out["EyeLookUpLeft"] = out["EyeLookUpRight"] = v
            pitch += GAZE_ANGLE * v
        elif d == "down":
            out["EyeLookDownLeft"] = out["EyeLookDownRight"] = v
            pitch -= GAZE_ANGLE * v
        elif d == "left":  # toward the subject's left: left eye looks out, right eye looks in
            out["EyeLookOutLeft"] = out["EyeLookInRight"] = v
            yaw -= GAZE_ANGLE * v
        elif d == "right":
            out["EyeLookInLeft"] = out["EyeLookOutRight"] = v
            yaw += GAZE_ANGLE * v
    if yaw:
        out["LeftEyeYaw"] = out["RightEyeYaw"] = yaw
    if pitch:
        out["LeftEyePitch"] = out["RightEyePitch"] = pitch
    return out


def _angle(toks: list[Token]) -> float | None:
    """An angle given in degrees in the clause, in radians."""
    return next((float(t.roles["angle"]) for t in toks if "angle" in t.roles), None)  # type: ignore[arg-type]


def _gaze(action: _Action, layers: Layers, clause: Clause, words: str, level: tuple[float, bool] | None,
          directions: list[str], negated: bool, angle: float | None = None) -> None:
    """Gaze moves: EyeLook* blendshapes and eye yaw/pitch together; no direction = straight ahead."""
    motion = action.motion or ""
    dirs = list(dict.fromkeys(("ahead" if d == "forward" else d) for d in directions
                              if d in ("up", "down", "left", "right", "aside", "ahead", "forward")))
    if not dirs and ({"inward", "outward"} & set(directions) or motion in ("in", "out")):
        _vergence(action, layers, clause, words, level, directions, negated)
        return
    if not dirs and motion in ("up", "down"):
        dirs = [motion]
    if not dirs and motion in ("glance", "avert", "lateral"):
        dirs = ["aside"] + (["down"] if motion == "avert" else [])
    v = _scale(lx.PLAIN, level) if angle is None else min(1.0, angle / GAZE_ANGLE)
    amounts: dict[str, float] = {}
    for d in dirs:
        if d == "aside":
            d = lx.DEFAULT_SIDE.lower()
        if d == "ahead":
            continue
        amounts[d] = v * (0.6 if motion == "avert" and d == "down" else 1.0)
    values = {n: 0.0 for n in REGIONS["gaze"]} if (not amounts or "ahead" in dirs) else {}
    values.update(_gaze_values(amounts))
    if motion == "stare" and not negated:
        values["EyeWideLeft"] = values["EyeWideRight"] = _scale(0.25, level)
    if motion == "peer" and not negated:
        values["EyeSquintLeft"] = values["EyeSquintRight"] = _scale(0.3, level)
    layers.last_side = next((d for d in dirs if d in ("left", "right")), layers.last_side)
    name = "gaze " + ("+".join(dirs) if dirs else "ahead") + " (AU61-64)"
    if not amounts:
        name = "gaze ahead (released to center)"
    layers.write("explicit", values, words, name, negated=negated,
                 kind=None if amounts else ContributionKind.RELEASE)
    layers.last_directional = ("gaze", motion, level, words)


def _vergence(action: _Action, layers: Layers, clause: Clause, words: str, level: tuple[float, bool] | None,
              directions: list[str], negated: bool) -> None:
    """One or both eyes turned in toward the nose (crossed) or out (AU65/66)."""
    inward = "inward" in directions or action.motion == "in"
    side, _ = _clause_side(clause.tokens, [])
    v = _scale(lx.PLAIN, level)
    values: dict[str, float] = {}
    for eye in ([side] if side else ["Left", "Right"]):
        toward_right = (eye == "Left") == inward  # the left eye turns in toward the subject's right
        values[f"EyeLook{'In' if inward else 'Out'}{eye}"] = v
        values[f"{eye}EyeYaw"] = GAZE_ANGLE * v * (1 if toward_right else -1)
    layers.write("explicit", values, words, ("eyes turned in (AU65-66)" if inward else "eyes turned out (AU65)"),
                 negated=negated)


def _head(motion: str, layers: Layers, words: str, level: tuple[float, bool] | None,
          directions: list[str], negated: bool, angle: float | None = None) -> None:
    """Head turn/tilt/nod as HeadYaw/HeadRoll/HeadPitch (signs per channels.py)."""
    v = _scale(0.3 if motion != "shake" else 0.15, level) if angle is None else min(1.0, angle)
    values: dict[str, float] = {}
    lateral = "HeadRoll" if motion == "tilt" else "HeadYaw"
    if not {"left", "right"} & set(directions) and layers.last_side and motion != "tilt":
        directions = [layers.last_side] + [d for d in directions if d != "aside"]  # "..., turning her head"
    for d in directions or ["aside"]:
        if d in ("left", "right", "aside"):
            side = lx.DEFAULT_SIDE.lower() if d == "aside" else d
            values[lateral] = v if side == "right" else -v
        elif d in ("up", "back"):
            values["HeadPitch"] = v
        elif d in ("down", "forward"):
            values["HeadPitch"] = -v
    if not values:
        values[lateral] = -v if lx.DEFAULT_SIDE == "Left" else v
    name = {"tilt": "head tilt (AU55/56)", "shake": "head shake"}.get(motion, "head turn (AU51/52)")
    if "HeadPitch" in values and lateral not in values:
        name = "head up/down (AU53/54)"
    layers.write("explicit", values, words, name, negated=negated)
    layers.last_directional = ("head", motion, level, words)


def _words(clause: Clause, action: _Action, region: _Region | None) -> str:
    """The phrase shown in explanations: the clause text (short enough to read)."""
    text = clause.text
    return ("not: " + text) if clause.negated and not text.lower().startswith(("not", "no", "without")) else text


def _extend_directions(layers: Layers, directions: list[str], clause: Clause) -> None:
    """A clause of bare directions continues the last gaze/head move ("and to the left")."""
    assert layers.last_directional is not None
    kind, motion, level, words = layers.last_directional
    words = words + " / " + clause.text
    if kind == "gaze":
        v = _scale(lx.PLAIN, level)
        amounts = {(lx.DEFAULT_SIDE.lower() if d == "aside" else d): v
                   for d in directions if d in ("up", "down", "left", "right", "aside")}
        layers.write("explicit", _gaze_values(amounts), words, "gaze " + "+".join(amounts) + " (AU61-64)")
    else:
        _head(motion, layers, words, level, directions, negated=False)
