"""Writing a resolved action into ``Layers``: rules scaled by degree and placed on the subject's own side, gaze and
head moves as blendshapes plus angles, whole-expression and AU bundles. Which parts, motions and words each rewrite
and move concerns is data (``data/writing.yaml``, read as ``W``), as are the labels written into explanations."""

from __future__ import annotations

from . import lexicon as lx
from .frame import frame_words
from ...channels import CHANNEL_INDEX, REGIONS
from ...data import ContributionKind
from . import clauses
from .clauses import WORDS, Clause, Token
from .compose import EMOTION, EXPLICIT, EXPRESSION, MANNER, MANNER_WEIGHT, Layers
from .reading import _actions_in, _clause_side, _has_region_action, _is_manner, _suppressed
from .rules import W, _Action, _Region, _rule_for, _scale, say

GAZE_ANGLE = 0.6  # eye yaw/pitch (~radians) per unit of EyeLook* blendshape
# The direction names (motions.yaml ``directions``) whose meaning is the code's: the eyes' and head's axes.
UP, DOWN, ASIDE, AHEAD = "up", "down", "aside", "ahead"
_GAZE, _HEAD = "gaze", "head"  # what the last directional move was (regions of channels.py)


def _apply(action: _Action, region: _Region, layers: Layers, clause: Clause, toks: list[Token],
           level: tuple[float, bool] | None, sides: tuple[str | None, float | None],
           directions: list[str]) -> None:
    """Turn one action on one region into layer writes (gaze, head, relax and RULES)."""
    motion = action.motion or ""
    verb = lx.lemma(action.verb, clauses._KNOWN)  # the bound vocabulary's words
    words = _words(clause, action, region)
    side = region.side or sides[0]
    share = region.onesided if region.onesided is not None else sides[1]
    named = set(directions)
    if region.key in W.brow_parts and motion in W.brow_lowering and not any(t.raw in W.one_brow for t in toks):
        share = sides[1]  # "a furrowed brow" is both brows; "a raised brow" is one

    lips = WORDS.lip_regions
    if motion in W.relax_motions and region.key in lips and any(t.lemma in W.flat for t in toks) and not any(
            t.lemma in W.flat_side for t in toks):  # "the right side stays flat": that side at rest
        wide = any(t.lemma in W.flat_wide for t in toks)
        motion = W.flat_wide_becomes if wide else W.flat_becomes  # "lips flat": a line; "wide flat mouth": stretched
    if motion in W.relax_motions and region.key in W.gaze_parts and W.ahead & named:
        layers.relax(W.ahead_becomes, words)  # "the eyes return to center": gaze ahead, lids as they are
        return
    if motion in W.relax_motions or (motion in W.soften_motions and len(_actions_in(toks)) <= 1):
        layers.relax(region.key, words, side)
        return
    if region.key in W.pull_parts and motion in W.pull_motions and not W.sides & named and verb in W.pulling_verbs:
        motion = W.pull_becomes  # "pull the lips sideways": both corners out, not a shift
    if region.key in W.shift_parts and W.sides & named and motion not in W.shift_keeps:
        motion = W.shift_becomes  # "mouth scrunched over to the right"
    vertical = next((d for d in directions if d in W.vertical), None)
    if region.key in W.brow_parts and motion in W.knit_motions and vertical in W.knit_up:
        motion = W.knit_up_becomes  # "brows knitted upward": pinched up in the middle
    if region.key in W.swell_parts and motion in W.swell_motions and any(t.raw in W.swell_up for t in toks):
        motion = W.swell_up_becomes  # "the cheeks swell upward": raised, not puffed
    if motion in W.turn_motions and vertical and region.key not in W.turning_parts:
        motion = vertical  # "the inner brows tilt up", "the corners turn down"
    if motion in W.open_motions and region.key in W.lid_parts and any("comparative" in t.roles for t in toks):
        motion = W.open_more_becomes  # "the eyes open a little wider": as far as the comparative says
    elif motion in W.open_motions and region.key in W.lid_parts and (
            any(t.lemma in W.open_wide for t in toks) or (level is not None and level[0] >= 0.7)):
        motion, level = W.open_wide_becomes, None  # "eyes opened very wide", "eyes very open"
    if motion in W.close_motions and region.key in lips and any(t.lemma in W.tight for t in toks):
        motion = W.tight_close_becomes  # "lips tightly closed"
    if region.key in W.gaze_parts and motion in W.gaze_motions and (
            region.key in W.gaze_only_parts or motion not in W.eye_not_gaze_motions):
        _gaze(action, layers, clause, words, level, directions, negated=clause.negated, angle=_angle(toks))
        return
    if region.key in W.tip_parts and motion in W.tip_motions and W.sides & named and (
            any(t.lemma in W.shoulder for t in toks) or verb in frame_words().sets["tipping"]):
        motion = W.tip_becomes  # "his head tips toward his right shoulder", "her head lolls to the left"
    if region.key in W.chin_parts and motion in W.chin_moves and verb not in W.chin_turning_verbs:
        region = _Region(W.chin_becomes, region.pos, region.side, region.onesided)  # "the chin moves sideways"
    if region.key in lips and motion in W.press_motions and W.press_in & named:
        motion = W.press_in_becomes  # "presses her upper lip inward"
    if region.key in W.head_parts and motion in W.head_motions:
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
    layers.write(EXPLICIT, expanded, words, name, negated=clause.negated)


def _apply_bundle(action: _Action, layers: Layers, clause: Clause, toks: list[Token],
                  level: tuple[float, bool] | None, sides: tuple[str | None, float | None]) -> None:
    """Write a whole-expression, AU or literal bundle (no region needed)."""
    if action.bundle is not None:
        bundle, name = action.bundle
    else:
        _, bundle, name = lx.EXPRESSIONS[action.expression or ""]
    layer = EXPLICIT if action.expression is None else EXPRESSION
    if action.expression is not None and not clause.negated:
        layers.expressions.append(action.expression)
    held_back = action.expression in W.suppressible and _suppressed(toks, action.pos)
    if held_back:  # "stifles a grin": a trace of it, whatever its size
        level = (min(level[0], 0.3) if level else 0.2, False)
    if action.expression is not None and (_is_manner(toks, action.pos, clause) or (
            action.expression in lx.EMOTIONS and _has_region_action(toks))):
        layer = MANNER  # "smiles sadly", "in fear": colours only what the main words leave free, damped
        level = (MANNER_WEIGHT * (level[0] if level else lx.PLAIN), False)
    elif action.expression in lx.EMOTIONS:
        layer = EMOTION  # "lips stretched, terrified": damped too when the text moves parts explicitly
    layers.write(layer, _expand(bundle, level, sides[0], sides[1], []), _words(clause, action, None), name,
                 negated=clause.negated, kind=ContributionKind.LITERAL if action.literal else None)
    if held_back:
        layers.write(EXPLICIT, {"JawOpen": 0.0}, _words(clause, action, None), W.label_suppressed_jaw,
                     kind=ContributionKind.RELEASE)
        layers.write(EXPLICIT, {"MouthPressLeft": 0.35, "MouthPressRight": 0.35, "MouthRollLower": 0.15},
                     _words(clause, action, None), W.label_suppressed_press, negated=clause.negated)


def _expand(bundle: dict[str, float], level: tuple[float, bool] | None, side: str | None,
            share: float | None, directions: list[str]) -> dict[str, float]:
    """Base names -> concrete channels: sides, defaults for one-sided, pose pseudo-channels."""
    out: dict[str, float] = {}
    lateral = next((d for d in directions if d in W.sides), ASIDE if ASIDE in directions else None)
    for base, value in bundle.items():
        v = _scale(value, level)
        one_sided = base.endswith("@")
        base = base.rstrip("@")
        if base.startswith("LATERAL:"):
            d = "Left" if lateral in (None, ASIDE) and lx.DEFAULT_SIDE == "Left" else (
                lateral.capitalize() if lateral not in (None, ASIDE) else lx.DEFAULT_SIDE)
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
    """{UP: v, 'left': v, ...} -> EyeLook* blendshapes plus matching eye yaw/pitch (a side: the subject's own)."""
    out: dict[str, float] = {}
    yaw = pitch = 0.0
    for d, v in amounts.items():
        if d == UP:
            out["EyeLookUpLeft"] = out["EyeLookUpRight"] = v
            pitch += GAZE_ANGLE * v
        elif d == DOWN:
            out["EyeLookDownLeft"] = out["EyeLookDownRight"] = v
            pitch -= GAZE_ANGLE * v
        elif d.capitalize() == "Left":  # toward the subject's left: left eye looks out, right eye looks in
            out["EyeLookOutLeft"] = out["EyeLookInRight"] = v
            yaw -= GAZE_ANGLE * v
        elif d.capitalize() == "Right":
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
    dirs = list(dict.fromkeys((AHEAD if d in W.ahead else d) for d in directions if d in W.gaze_directions))
    if not dirs and (W.vergence_directions & set(directions) or motion in W.vergence_motions):
        _vergence(action, layers, clause, words, level, directions, negated)
        return
    if not dirs and motion in W.vertical:
        dirs = [motion]
    if not dirs and motion in W.glance_motions:
        dirs = [ASIDE] + ([DOWN] if motion in W.glance_down else [])
    v = _scale(lx.PLAIN, level) if angle is None else min(1.0, angle / GAZE_ANGLE)
    amounts: dict[str, float] = {}
    for d in dirs:
        if d == ASIDE:
            d = lx.DEFAULT_SIDE.lower()
        if d == AHEAD:
            continue
        amounts[d] = v * (0.6 if motion in W.glance_down and d == DOWN else 1.0)
    values = {n: 0.0 for n in REGIONS[_GAZE]} if (not amounts or AHEAD in dirs) else {}
    values.update(_gaze_values(amounts))
    if motion in W.stare_motions and not negated:
        values["EyeWideLeft"] = values["EyeWideRight"] = _scale(0.25, level)
    if motion in W.peer_motions and not negated:
        values["EyeSquintLeft"] = values["EyeSquintRight"] = _scale(0.3, level)
    layers.last_side = next((d for d in dirs if d in W.sides), layers.last_side)
    name = say(W.label_gaze, directions="+".join(dirs)) if amounts else W.label_gaze_released
    layers.write(EXPLICIT, values, words, name, negated=negated,
                 kind=None if amounts else ContributionKind.RELEASE)
    layers.last_directional = (_GAZE, motion, level, words)


def _vergence(action: _Action, layers: Layers, clause: Clause, words: str, level: tuple[float, bool] | None,
              directions: list[str], negated: bool) -> None:
    """One or both eyes turned in toward the nose (crossed) or out (AU65/66)."""
    inward = bool(W.vergence_in_directions & set(directions)) or action.motion in W.vergence_in_motions
    side, _ = _clause_side(clause.tokens, [])
    v = _scale(lx.PLAIN, level)
    values: dict[str, float] = {}
    for eye in ([side] if side else ["Left", "Right"]):
        toward_right = (eye == "Left") == inward  # the left eye turns in toward the subject's right
        values[f"EyeLook{'In' if inward else 'Out'}{eye}"] = v
        values[f"{eye}EyeYaw"] = GAZE_ANGLE * v * (1 if toward_right else -1)
    layers.write(EXPLICIT, values, words, W.label_eyes_in if inward else W.label_eyes_out, negated=negated)


def _head(motion: str, layers: Layers, words: str, level: tuple[float, bool] | None,
          directions: list[str], negated: bool, angle: float | None = None) -> None:
    """Head turn/tilt/nod as HeadYaw/HeadRoll/HeadPitch (signs per channels.py)."""
    rolls = motion in W.head_roll_motions
    v = _scale(0.3 if motion not in W.head_shake_motions else 0.15, level) if angle is None else min(1.0, angle)
    values: dict[str, float] = {}
    lateral = "HeadRoll" if rolls else "HeadYaw"
    if not W.sides & set(directions) and layers.last_side and not rolls:
        directions = [layers.last_side] + [d for d in directions if d != ASIDE]  # "..., turning her head"
    for d in directions or [ASIDE]:
        if d in W.sides or d == ASIDE:
            side = lx.DEFAULT_SIDE.lower() if d == ASIDE else d
            values[lateral] = v if side.capitalize() == "Right" else -v
        elif d in W.head_up:
            values["HeadPitch"] = v
        elif d in W.head_down:
            values["HeadPitch"] = -v
    if not values:
        values[lateral] = -v if lx.DEFAULT_SIDE == "Left" else v
    name = W.label_head_tilt if rolls else W.label_head_shake if motion in W.head_shake_motions else W.label_head_turn
    if "HeadPitch" in values and lateral not in values:
        name = W.label_head_up_down
    layers.write(EXPLICIT, values, words, name, negated=negated)
    layers.last_directional = (_HEAD, motion, level, words)


def _words(clause: Clause, action: _Action, region: _Region | None) -> str:
    """The phrase shown in explanations: the clause text (short enough to read)."""
    text = clause.text
    if clause.negated and not text.lower().startswith(tuple(W.negation_openers)):
        return say(W.label_negated_words, text=text)
    return text


def _extend_directions(layers: Layers, directions: list[str], clause: Clause) -> None:
    """A clause of bare directions continues the last gaze/head move ("and to the left")."""
    assert layers.last_directional is not None
    kind, motion, level, words = layers.last_directional
    words = words + " / " + clause.text
    if kind == _GAZE:
        v = _scale(lx.PLAIN, level)
        amounts = {(lx.DEFAULT_SIDE.lower() if d == ASIDE else d): v
                   for d in directions if d in W.gaze_directions and d not in W.ahead}
        layers.write(EXPLICIT, _gaze_values(amounts), words, say(W.label_gaze, directions="+".join(amounts)))
    else:
        _head(motion, layers, words, level, directions, negated=False)
