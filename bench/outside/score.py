"""Score the embedded engine (or any backend) on the outside evaluation sets in this folder.

    python bench/outside/score.py                 # every set, pass counts and percentages
    python bench/outside/score.py docs slang      # only these sets
    python bench/outside/score.py --fails         # also list each failing item: id, text, failed checks
    python bench/outside/score.py --json          # machine-readable results
    python bench/outside/score.py --check         # only load and validate the sets (no engine run)
    python bench/outside/score.py --skip no_repeat scripts scenes   # leave a kind of check out
    python bench/outside/score.py --dir bench/outside_v2            # score the sets of another folder (same schema)

Only the public API is used: keyframeface.animate(background, emotion, keyframes=[...], life=False); values are read
from anim.keyframes[i].values (keyframeface.CHANNELS order) and planned text from anim.keyframes[i].spec.description.

Set format (YAML): `defaults:` (background, emotion, check: checks appended to every item) and `items:`. An item has
an `id`, optional `background`/`emotion`, and one of
  text: "one description"                -> one keyframe is posed
  keyframes: ["desc 1", "desc 2", ...]    -> a sequence is posed, in order
  (neither)                               -> the engine plans the keyframes from background + emotion
  steps: [[grade, "desc"], ...]           -> magnitude group: each description posed alone; with `value: EXPR`
plus `check:` a list of check strings.

Check language (one string per check):
  [SCOPE:] COND (and COND)* (or ...)    'or' binds loosest; SCOPE is k0, k1, ... (default k0), first, last,
                                        all (every keyframe), any (some keyframe), early/late (some keyframe in the
                                        first/second half; the middle one counts for both)
  COND  := EXPR OP EXPR | EXPR in LO..HI   OP: >= > <= <
  EXPR  := sums and products of numbers, refs and functions abs() max() min() mean()
  REF   := [kN. | first. | last. | prev.] NAME(|NAME)*   NAME: a channel, a channel pattern with a trailing * (a
           vector: the condition must hold for each element), or a virtual channel (VIRTUALS below);
           A|B is the largest of A and B (a pattern inside A|B counts all its channels).
  top NAME [NAME]        the named blendshapes are the largest of the 52 (ties allowed)
  text WORD|WORD|...     some planned description has a word starting with one of these (case-insensitive)
  no_repeat              no clause appears in two keyframes of one plan
  no_contradiction       no description has its mouth corners both turned down and lifted/broadly smiling
Timing (read from anim.timeline, public): in an EXPR, key(N) is the time (s) at which keyframe N (or `last`) is
reached, clip_end the clip's length (s), cycles(CHANNEL, N[, MIN]) the number of oscillations of one channel's curve
from keyframe N's time to the next keyframe's (the clip's end for the last): swings of at least MIN (default 0.02)
are counted and the larger of the counts of maxima and minima is returned (three nods = 3).
Magnitude groups: values strictly increase (each step >= previous + 0.02); grade slight -> [0.05, 0.45],
plain -> [0.3, 0.75], strong -> >= 0.6, free -> ordering only.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
import time
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
SETS = ["docs", "facs", "slang", "blends", "continuity", "scripts", "scenes", "magnitudes"]
TIME_WORDS = ("key", "cycles", "clip_end", "last")
CYCLE_MIN = 0.02
DEFAULT_BACKGROUND = "A person faces the camera."
DEFAULT_EMOTION = "neutral"
STEP_MARGIN = 0.02
GRADES = {"slight": (0.05, 0.45), "plain": (0.3, 0.75), "strong": (0.6, 1.0), "free": (-1.0, 1.0)}


def _channels():
    import keyframeface

    return list(keyframeface.CHANNELS)


CHANNELS = _channels()
IDX = {c: i for i, c in enumerate(CHANNELS)}
BLEND = CHANNELS[:52]


def _m(v, *names):
    return sum(v[IDX[n]] for n in names) / len(names)


# Virtual channels. Sides are the subject's own; yaw + = toward the subject's right, pitch + = up.
VIRTUALS = {
    "gaze_pitch": lambda v: _m(v, "LeftEyePitch", "RightEyePitch"),
    "gaze_yaw": lambda v: _m(v, "LeftEyeYaw", "RightEyeYaw"),
    "gaze_down": lambda v: max(_m(v, "EyeLookDownLeft", "EyeLookDownRight"), -_m(v, "LeftEyePitch", "RightEyePitch")),
    "gaze_up": lambda v: max(_m(v, "EyeLookUpLeft", "EyeLookUpRight"), _m(v, "LeftEyePitch", "RightEyePitch")),
    "gaze_left": lambda v: max(_m(v, "EyeLookOutLeft", "EyeLookInRight"), -_m(v, "LeftEyeYaw", "RightEyeYaw")),
    "gaze_right": lambda v: max(_m(v, "EyeLookInLeft", "EyeLookOutRight"), _m(v, "LeftEyeYaw", "RightEyeYaw")),
    "look_down": lambda v: max(VIRTUALS["gaze_down"](v), -v[IDX["HeadPitch"]]),
    "look_up": lambda v: max(VIRTUALS["gaze_up"](v), v[IDX["HeadPitch"]]),
    "look_left": lambda v: max(VIRTUALS["gaze_left"](v), -v[IDX["HeadYaw"]]),
    "look_right": lambda v: max(VIRTUALS["gaze_right"](v), v[IDX["HeadYaw"]]),
    "max_blend": lambda v: max(v[:52]),
}


class SetError(Exception):
    pass


# ---------------------------------------------------------------- check language

_TOK = re.compile(r"\s*(?:(\d+\.\d+|\d+|\.\d+)|((?:k\d+|first|last|prev)\.)?([A-Za-z_][A-Za-z0-9_]*\*?(?:\|[A-Za-z_][A-Za-z0-9_]*\*?)*)|(>=|<=|\.\.|[-+*/(),<>]))")


def _names(name: str) -> list[str]:
    if name in VIRTUALS or name in IDX:
        return [name]
    if name.endswith("*"):
        found = [c for c in CHANNELS if c.startswith(name[:-1])]
        if found:
            return found
    raise SetError(f"unknown channel {name!r}")


def _tokens(s: str):
    out, pos = [], 0
    s = s.strip()
    while pos < len(s):
        m = _TOK.match(s, pos)
        if not m or m.end() == pos:
            raise SetError(f"cannot read {s[pos:]!r} in {s!r}")
        num, pre, name, op = m.groups()
        if num is not None:
            out.append(("num", float(num)))
        elif name is not None:
            if name in ("abs", "max", "min", "mean", "in") + TIME_WORDS:
                out.append(("kw", name))
            else:
                alts = name.split("|")
                vecs = [_names(a) for a in alts]
                out.append(("ref", ((pre or "")[:-1] or None, vecs)))
        else:
            out.append(("op", op))
        pos = m.end()
    return out


class _Parser:
    def __init__(self, toks, text):
        self.t, self.i, self.text = toks, 0, text

    def peek(self):
        return self.t[self.i] if self.i < len(self.t) else (None, None)

    def take(self, kind=None, val=None):
        k, v = self.peek()
        if (kind and k != kind) or (val is not None and v != val):
            raise SetError(f"expected {val or kind} in {self.text!r}")
        self.i += 1
        return k, v

    def sum(self):
        node = self.prod()
        while self.peek() in (("op", "+"), ("op", "-")):
            _, op = self.take()
            node = ("bin", op, node, self.prod())
        return node

    def prod(self):
        node = self.atom()
        while self.peek() in (("op", "*"), ("op", "/")):
            _, op = self.take()
            node = ("bin", op, node, self.atom())
        return node

    def atom(self):
        k, v = self.peek()
        if k == "num":
            self.take()
            return ("num", v)
        if (k, v) == ("op", "-"):
            self.take()
            return ("bin", "-", ("num", 0.0), self.atom())
        if (k, v) == ("op", "("):
            self.take()
            node = self.sum()
            self.take("op", ")")
            return node
        if k == "kw" and v in ("abs", "max", "min", "mean"):
            self.take()
            self.take("op", "(")
            args = [self.sum()]
            while self.peek() == ("op", ","):
                self.take()
                args.append(self.sum())
            self.take("op", ")")
            return ("fn", v, args)
        if k == "ref":
            self.take()
            return ("ref",) + v
        if (k, v) == ("kw", "clip_end"):
            self.take()
            return ("clip_end",)
        if (k, v) in (("kw", "key"), ("kw", "cycles")):
            self.take()
            self.take("op", "(")
            channel = None
            if v == "cycles":
                k2, ref = self.take("ref")
                if ref[0] is not None or len(ref[1]) != 1 or len(ref[1][0]) != 1 or ref[1][0][0] not in IDX:
                    raise SetError(f"cycles() takes one plain channel in {self.text!r}")
                channel = ref[1][0][0]
                self.take("op", ",")
            kk, n = self.take()
            if (kk, n) == ("kw", "last"):
                n = -1
            elif kk != "num" or n != int(n):
                raise SetError(f"expected a keyframe number or last in {self.text!r}")
            least = CYCLE_MIN
            if v == "cycles" and self.peek() == ("op", ","):
                self.take()
                least = self.take("num")[1]
            self.take("op", ")")
            return ("key", int(n)) if v == "key" else ("cycles", channel, int(n), least)
        raise SetError(f"unexpected {v!r} in {self.text!r}")

    def cond(self):
        left = self.sum()
        k, v = self.take()
        if (k, v) == ("kw", "in"):
            lo = self.sum()
            self.take("op", "..")
            hi = self.sum()
            return ("in", left, lo, hi)
        if k != "op" or v not in (">=", "<=", ">", "<"):
            raise SetError(f"expected a comparison in {self.text!r}")
        return ("cmp", v, left, self.sum())


def _parse_cond(s):
    p = _Parser(_tokens(s), s)
    node = p.cond()
    if p.i != len(p.t):
        raise SetError(f"trailing text in {s!r}")
    return node


SCOPES = re.compile(r"^\s*(k\d+|first|last|all|any|early|late)\s*:\s*(.*)$")


def parse_check(s: str):
    s = str(s).strip()
    if s in ("no_repeat", "no_contradiction"):
        return ("special", s)
    if s.startswith("text "):
        words = [w.strip().lower() for w in s[5:].split("|") if w.strip()]
        if not words:
            raise SetError(f"no words in {s!r}")
        return ("text", words)
    scope, body = "k0", s
    m = SCOPES.match(s)
    if m:
        scope, body = m.group(1), m.group(2)
    if body.startswith("top "):
        names = body[4:].split()
        for n in names:
            if n not in BLEND:
                raise SetError(f"top: {n!r} is not a blendshape")
        return ("top", scope, names)
    alts = []
    for alt in re.split(r"\s+or\s+", body):
        alts.append([_parse_cond(c) for c in re.split(r"\s+and\s+", alt)])
    return ("conds", scope, alts)


# ---------------------------------------------------------------- evaluation

def _ref(node, frames, k):
    _, pre, vecs = node
    if pre is None:
        j = k
    elif pre == "first":
        j = 0
    elif pre == "last":
        j = len(frames) - 1
    elif pre == "prev":
        j = max(k - 1, 0)
    else:
        j = int(pre[1:])
    if j >= len(frames):
        raise SetError(f"keyframe {j} asked, only {len(frames)} posed")
    v = frames[j]

    def one(n):
        return VIRTUALS[n](v) if n in VIRTUALS else float(v[IDX[n]])

    if len(vecs) == 1:
        return [one(n) for n in vecs[0]]
    return [max(one(n) for a in vecs for n in a)]


class _Frames(list):
    """Posed keyframe values plus the clip's timing (key times, fps, dense curves) for the timing words."""

    def __init__(self, values, key_times=(), fps=1.0, curves=()):
        super().__init__(values)
        self.key_times, self.fps, self.curves = list(key_times), fps, curves


def _key_index(n, frames):
    j = len(frames.key_times) - 1 if n < 0 else n
    if not 0 <= j < len(frames.key_times):
        raise SetError(f"keyframe {n} asked, {len(frames.key_times)} timed")
    return j


def _cycles(curve, least):
    """Oscillations in a curve: swings of at least `least`, the larger of the counts of maxima and minima."""
    maxima = minima = direction = 0
    hi = lo = curve[0] if len(curve) else 0.0
    for x in curve:
        hi, lo = max(hi, x), min(lo, x)
        if direction >= 0 and x <= hi - least:  # fell from a peak
            maxima += direction > 0
            direction, lo = -1, x
        elif direction <= 0 and x >= lo + least:  # rose from a trough
            minima += direction < 0
            direction, hi = 1, x
    return max(maxima, minima)


def _ev(node, frames, k):
    kind = node[0]
    if kind == "num":
        return [node[1]]
    if kind == "clip_end":
        return [len(frames.curves) / frames.fps]
    if kind == "key":
        return [frames.key_times[_key_index(node[1], frames)]]
    if kind == "cycles":
        j = _key_index(node[2], frames)
        start = int(round(frames.key_times[j] * frames.fps))
        stop = (int(round(frames.key_times[j + 1] * frames.fps)) if j + 1 < len(frames.key_times)
                else len(frames.curves))
        curve = [float(row[IDX[node[1]]]) for row in frames.curves[start:stop + 1]]
        return [float(_cycles(curve, node[3]))]
    if kind == "ref":
        return _ref(node, frames, k)
    if kind == "fn":
        vals = [_ev(a, frames, k) for a in node[2]]
        if node[1] == "abs":
            return [abs(x) for x in vals[0]]
        flat = [x for vv in vals for x in vv]
        return [{"max": max, "min": min, "mean": lambda xs: sum(xs) / len(xs)}[node[1]](flat)]
    a, b = _ev(node[2], frames, k), _ev(node[3], frames, k)
    if len(a) != len(b) and 1 not in (len(a), len(b)):
        raise SetError("vector lengths differ")
    n = max(len(a), len(b))
    a, b = a * n if len(a) == 1 else a, b * n if len(b) == 1 else b
    op = node[1]
    f = {"+": lambda x, y: x + y, "-": lambda x, y: x - y, "*": lambda x, y: x * y,
         "/": lambda x, y: x / y if y else math.inf}[op]
    return [f(x, y) for x, y in zip(a, b)]


def _cond(node, frames, k):
    if node[0] == "in":
        xs, lo, hi = (_ev(n, frames, k) for n in node[1:])
        return all(lo[0] - 1e-9 <= x <= hi[0] + 1e-9 for x in xs)
    _, op, l, r = node
    a, b = _ev(l, frames, k), _ev(r, frames, k)
    n = max(len(a), len(b))
    a, b = a * n if len(a) == 1 else a, b * n if len(b) == 1 else b
    f = {">=": lambda x, y: x >= y - 1e-9, "<=": lambda x, y: x <= y + 1e-9,
         ">": lambda x, y: x > y, "<": lambda x, y: x < y}[op]
    return all(f(x, y) for x, y in zip(a, b))


def _scope_ks(scope, n):
    if scope.startswith("k"):
        j = int(scope[1:])
        if j >= n:
            raise SetError(f"keyframe {j} asked, only {n} posed")
        return "all", [j]
    if scope == "first":
        return "all", [0]
    if scope == "last":
        return "all", [n - 1]
    if scope == "all":
        return "all", list(range(n))
    if scope == "any":
        return "any", list(range(n))
    if scope == "early":
        return "any", list(range(0, math.ceil(n / 2)))
    if scope == "late":
        return "any", list(range(n // 2, n))
    raise SetError(scope)


_CLAUSE_SPLIT = re.compile(r"[,;.]|\band\b|\bwhile\b|\bas\b|\bbut\b|\bthen\b")
_DOWN = re.compile(r"corners?\b[^,.;]{0,25}\b(turn|turns|turned|pull|pulls|pulled|droop|droops|sag|sags|sink|sinks|tug|tugs)\b[^,.;]{0,10}\bdown|\bfrown")
_UP = re.compile(r"corners?\b[^,.;]{0,25}\b(lift|lifts|rise|rises|curl up|curls up|turn up|turns up|tilt up|tilts up)|\b(broad|wide|big|bright|beaming|warm|huge) (smile|grin)")


def _clauses(desc):
    out = []
    for c in _CLAUSE_SPLIT.split(desc.lower()):
        c = re.sub(r"\s+", " ", c).strip()
        if len(c.split()) >= 3:
            out.append(c)
    return out


def check_item(item, frames, descs):
    """Returns a list of (check string, passed)."""
    results = []
    for raw, parsed in item["_checks"]:
        kind = parsed[0]
        if kind == "special" and parsed[1] == "no_repeat":
            seen, ok = {}, True
            for i, d in enumerate(descs):
                for c in set(_clauses(d)):
                    if c in seen and seen[c] != i:
                        ok = False
                    seen.setdefault(c, i)
            results.append((raw, ok))
        elif kind == "special":
            ok = not any(_DOWN.search(d.lower()) and _UP.search(d.lower()) for d in descs)
            results.append((raw, ok))
        elif kind == "text":
            joined = " ".join(descs).lower()
            results.append((raw, any(re.search(r"\b" + re.escape(w), joined) for w in parsed[1])))
        elif kind == "top":
            mode, ks = _scope_ks(parsed[1], len(frames))
            oks = []
            for k in ks:
                v = frames[k]
                named = min(float(v[IDX[n]]) for n in parsed[2])
                others = max(float(v[IDX[c]]) for c in BLEND if c not in parsed[2])
                oks.append(named >= others - 1e-9 and named > 0)
            results.append((raw, any(oks) if mode == "any" else all(oks)))
        else:
            mode, ks = _scope_ks(parsed[1], len(frames))
            oks = [any(all(_cond(c, frames, k) for c in alt) for alt in parsed[2]) for k in ks]
            results.append((raw, any(oks) if mode == "any" else all(oks)))
    return results


# ---------------------------------------------------------------- loading

def load_set(name, folder=HERE):
    path = Path(folder) / f"{name}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or "items" not in data:
        raise SetError(f"{path}: no items")
    d = data.get("defaults") or {}
    items, ids = [], set()
    for it in data["items"]:
        iid = it.get("id")
        if not iid or iid in ids:
            raise SetError(f"{path}: missing or repeated id {iid!r}")
        ids.add(iid)
        it = dict(it)
        it.setdefault("background", d.get("background", DEFAULT_BACKGROUND))
        it.setdefault("emotion", d.get("emotion", DEFAULT_EMOTION))
        checks = list(it.get("check") or []) + list(d.get("check") or [])
        try:
            it["_checks"] = [(str(c), parse_check(c)) for c in checks]
            if "steps" in it:
                it["_value"] = _parse_cond(f"{it['value']} >= 0")[2]
                for g, _t in it["steps"]:
                    if g not in GRADES:
                        raise SetError(f"unknown grade {g!r}")
        except SetError as e:
            raise SetError(f"{path}: item {iid}: {e}") from None
        if not it["_checks"] and "steps" not in it:
            raise SetError(f"{path}: item {iid}: no checks")
        items.append(it)
    return items


# ---------------------------------------------------------------- running

def _pose(item, texts, cache):
    import keyframeface

    key = (item["background"], item["emotion"], tuple(texts))
    if key not in cache:
        anim = keyframeface.animate(item["background"], item["emotion"], keyframes=list(texts), life=False)
        frames = _Frames([list(map(float, k.values)) for k in anim.keyframes], anim.timeline.key_times,
                         anim.timeline.fps, anim.timeline.values)
        cache[key] = (frames, [k.spec.description for k in anim.keyframes])
    return cache[key]


def run_item(item, cache):
    if "steps" in item:
        vals = []
        results = []
        for g, text in item["steps"]:
            frames, _ = _pose(item, [text], cache)
            x = _ev(item["_value"], frames, 0)
            x = sum(x) / len(x)
            vals.append(round(x, 3))
            lo, hi = GRADES[g]
            results.append((f"{g} {text!r}: {x:.2f} in {lo}..{hi}", lo - 1e-9 <= x <= hi + 1e-9))
        for i in range(1, len(vals)):
            results.append((f"step {i}: {vals[i]:.2f} >= {vals[i-1]:.2f} + {STEP_MARGIN}",
                            vals[i] >= vals[i - 1] + STEP_MARGIN - 1e-9))
        results += check_item(item, [], [])
        return results, {"values": vals}
    if "text" in item:
        texts = [item["text"]]
    else:
        texts = list(item.get("keyframes") or [])
    frames, descs = _pose(item, texts, cache)
    try:
        res = check_item(item, frames, descs)
    except SetError as e:
        res = [(f"error: {e}", False)]
    return res, {"descriptions": descs} if not texts else {}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("sets", nargs="*", help=f"set names (default: all of {', '.join(SETS)})")
    ap.add_argument("--fails", action="store_true", help="list failing items and their failed checks")
    ap.add_argument("--json", action="store_true", help="machine-readable output")
    ap.add_argument("--check", action="store_true", help="only load and validate the sets")
    ap.add_argument("--dir", default=str(HERE), metavar="DIR",
                    help="folder holding the set files (default: this script's folder)")
    ap.add_argument("--skip", action="append", default=[], metavar="CHECK",
                    help="leave out checks whose text starts with CHECK (e.g. no_repeat); repeatable")
    a = ap.parse_args(argv)
    folder = Path(a.dir)
    if not folder.is_dir():
        ap.error(f"--dir {a.dir!r} is not a folder")
    present = sorted(p.stem for p in folder.glob("*.yaml"))
    known = [n for n in SETS if n in present] + [n for n in present if n not in SETS]
    names = a.sets or known
    for n in names:
        if n not in known:
            ap.error(f"unknown set {n!r} in {folder} (sets there: {', '.join(known)})")
    loaded = {n: load_set(n, folder) for n in names}
    for items in loaded.values():
        for it in items:
            it["_checks"] = [c for c in it["_checks"] if not any(c[0].startswith(x) for x in a.skip)]
    if a.check:
        for n, items in loaded.items():
            checks = sum(len(i["_checks"]) + 2 * len(i.get("steps", ())) - 1 * ("steps" in i) for i in items)
            print(f"{n:12s} {len(items):4d} items, {checks:4d} checks: ok")
        return 0
    import keyframeface

    t0 = time.perf_counter()
    cache: dict = {}
    report = {"engine": str(Path(keyframeface.__file__).resolve().parent), "sets": {}}
    for n, items in loaded.items():
        rows = []
        for it in items:
            res, extra = run_item(it, cache)
            rows.append({"id": it["id"], "passed": all(ok for _, ok in res),
                         "failed": [c for c, ok in res if not ok],
                         "checks": len(res), "checks_passed": sum(ok for _, ok in res),
                         "input": it.get("text") or it.get("keyframes") or it.get("steps")
                         or [it["background"], it["emotion"]], **extra})
        report["sets"][n] = {
            "items": len(rows), "passed": sum(r["passed"] for r in rows),
            "checks": sum(r["checks"] for r in rows), "checks_passed": sum(r["checks_passed"] for r in rows),
            "results": rows}
    report["seconds"] = round(time.perf_counter() - t0, 2)
    if a.json:
        print(json.dumps(report, indent=1))
        return 0
    print(f"engine: {report['engine']}")
    tot = [0, 0, 0, 0]
    for n, s in report["sets"].items():
        print(f"{n:12s} items {s['passed']:4d}/{s['items']:<4d} {100 * s['passed'] / s['items']:5.1f}%   "
              f"checks {s['checks_passed']:4d}/{s['checks']:<4d} {100 * s['checks_passed'] / s['checks']:5.1f}%")
        tot = [tot[0] + s["passed"], tot[1] + s["items"], tot[2] + s["checks_passed"], tot[3] + s["checks"]]
        if a.fails:
            for r in s["results"]:
                if not r["passed"]:
                    print(f"  FAIL {r['id']}: {json.dumps(r['input'])}")
                    for c in r["failed"]:
                        print(f"       {c}")
                    if r.get("descriptions"):
                        for d in r["descriptions"]:
                            print(f"       plan: {d}")
    print(f"{'total':12s} items {tot[0]:4d}/{tot[1]:<4d} {100 * tot[0] / max(tot[1], 1):5.1f}%   "
          f"checks {tot[2]:4d}/{tot[3]:<4d} {100 * tot[2] / max(tot[3], 1):5.1f}%   ({report['seconds']} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
