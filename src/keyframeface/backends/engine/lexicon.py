"""The facial-language knowledge the engine poses from: words -> regions, motions, degrees, bundles.

Plain data, no logic beyond two small lookups. ``pose.py`` tags words with these tables and
resolves (region, motion) pairs through ``RULES`` into ARKit channel values.

Vocabulary, by kind:
  * REGION_WORDS: nouns for face parts ("brows", "lip corners", "nostrils", "gaze", "head").
    Position words ("inner", "upper", "bottom", "corner") refine them (``REGION_MODIFIERS``).
  * MOTION_WORDS: verbs and adjectives -> a canonical motion ("furrow" -> together).
    ``None`` marks generic verbs (pull, draw, go, turn...) whose motion comes from a direction
    word ("pull back" -> stretch, "pull down" -> down).
  * DIRECTION_WORDS / RESULT_WORDS: "up", "to the left", "open", "shut", "apart"...
  * DEGREE_WORDS: intensity on the scale the KeyframeFace release uses: plain = 0.55,
    "slightly" = 0.3 (its "the inner brows lift slightly" -> BrowInnerUp 0.3), "fully" = 1.
  * EXPRESSIONS: whole-expression words (grin, wince, scowl, gasp, EMFACS emotion words);
    SMILE_STYLES ("a polite smile"), EMOTIONS (which of them only colour explicit actions).
  * STATE_WORDS: shape adjectives without a verb ("eyes big", "cheeks full").
  * RULES: (region, motion) -> channel bundle, each with the FACS action unit it stands for;
    AU_BUNDLES / FACS_NAMES / MUSCLES for "AU12", "lip corner puller", "zygomaticus major".
  * PHRASES, SPELLING, IRREGULAR, EMOJI: normalisation before tagging.

Channel bundles name sided channels by their base ("MouthSmile" -> MouthSmileLeft/Right) and
signed pose by the pseudo-channels GAZE_* / HEAD_* that ``pose.py`` turns into values.

FACS <-> ARKit follows the public table in FORMATS.md §1 (browInnerUp AU1, browOuterUp AU2,
browDown AU4, eyeWide AU5, cheekSquint AU6, eyeSquint AU7, noseSneer AU9, mouthUpperUp AU10,
mouthSmile AU12, mouthDimple AU14, mouthFrown AU15, mouthLowerDown AU16, mouthShrugLower AU17,
mouthPucker AU18, tongueOut AU19, mouthStretch AU20, mouthFunnel AU22, mouthPress AU24,
jawOpen AU26/27, mouthRoll AU28, jawForward AU29, jawLeft/Right AU30, cheekPuff AU34,
eyeBlink AU45, eyeLook* AU61-64) and the EMFACS prototypes cited there.
"""

from __future__ import annotations

from . import facs
from .facs import ActionUnit

__all__ = [
    "AU_BUNDLES",
    "DEFAULT_SIDE",
    "EMOJI",
    "EMOTIONS",
    "COMPARATIVES",
    "COMPARATIVE_LEVELS",
    "DEGREE_WORDS",
    "DIRECTION_WORDS",
    "EXPRESSIONS",
    "EXPRESSION_SYNONYMS",
    "FACS_NAMES",
    "FILLERS",
    "GENERIC_DIRECTION",
    "INTENSIFIERS",
    "MUSCLES",
    "IRREGULAR",
    "MOTION_REGION",
    "MOTION_WORDS",
    "NEGATIONS",
    "PERSIST_WORDS",
    "ONE_SIDED",
    "PHRASES",
    "PLAIN",
    "POSITION_WORDS",
    "REGION_MODIFIERS",
    "REGION_WORDS",
    "RESULT_WORDS",
    "RULES",
    "SMILE_STYLES",
    "SPELLING",
    "STATE_WORDS",
    "SUPPRESSING",
    "SPLITTERS",
    "VERB_REGION",
    "VISEMES",
    "VIEWER_WORDS",
    "lemma",
]

PLAIN = facs.level_value("C")  # value of an unqualified action ("the brows lift"): FACS C, marked
DEFAULT_SIDE = "Left"  # an unspecified one-sided action ("smirks", "raises an eyebrow") uses the subject's left

# --- spelling and multi-word phrases -----------------------------------------------------------

SPELLING: dict[str, str] = {
    "eyebrow": "brow", "eyebrows": "brows", "eye-brows": "brows", "eyelid": "lid", "eyelids": "lids",
    "fwd": "forward", "dn": "down", "bk": "back", "centre": "center", "grey": "gray", "colour": "color",
    "moustache": "mustache",
    "favour": "favor", "rumour": "rumor", "tonge": "tongue", "scrunches": "scrunch",
    "practise": "practice", "furrough": "furrow", "mouthcorner": "corner", "brow's": "brow",
}

# Multi-word phrases rewritten to one token before tagging (longest first when matched).
PHRASES: dict[str, str] = {
    "corners of the mouth": "corners", "corner of the mouth": "corner", "corners of her mouth": "corners",
    "corners of his mouth": "corners", "corners of their mouth": "corners", "corner of her mouth": "corner",
    "corner of his mouth": "corner", "corner of their mouth": "corner", "corners of the lips": "corners",
    "corner of the lips": "corner", "corners of the lip": "corners", "mouth corners": "corners",
    "mouth corner": "corner", "lip corners": "corners", "lip corner": "corner",
    "corners of the eyes": "eyecorners", "corners of her eyes": "eyecorners", "corners of his eyes": "eyecorners",
    "corners of their eyes": "eyecorners", "eye corners": "eyecorners", "crow s feet": "crowsfeet",
    "out of the corner of her eye": "", "out of the corner of his eye": "", "out of the corner of their eye": "",
    "out of the corner of the eye": "", "out of the corners of her eyes": "", "out of the corners of his eyes": "",
    "out of the corner of one eye": "", "from the corner of her eye": "", "from the corner of his eye": "",
    "from the corner of the eye": "", "corner of her eye": "eyecorners", "corner of his eye": "eyecorners",
    "corner of the eye": "eyecorners", "corner of their eye": "eyecorners",
    "crows feet": "crowsfeet", "crow feet": "crowsfeet",
    "no longer": "not", "not anymore": "not", "any more": "", "anymore": "",
    "ever so slightly": "barely", "a tiny bit": "barely", "a wee bit": "barely", "a little bit": "slightly",
    "a lot": "much", "a great deal": "strongly", "a crack": "barely", "a fraction": "barely",
    "to the maximum": "fully", "a little": "slightly", "a bit": "slightly", "a touch": "slightly", "a tad": "slightly",
    "a hint of": "barely", "hint of": "barely", "a trace of": "barely", "just barely": "barely",
    "all the way": "fully", "to the max": "fully", "at most": "",
    "wide eyed": "wideeyed", "wide open": "wideopen", "open mouthed": "openmouthed",
    "tight lipped": "tightlipped", "thin lipped": "tightlipped", "slack jawed": "slackjawed",
    "cross eyed": "crosseyed", "side eye": "sideeye", "side eyed": "sideeye", "side eyes": "sideeye",
    "eye roll": "eyeroll", "rolls her eyes": "eyeroll", "rolls his eyes": "eyeroll",
    "rolls their eyes": "eyeroll", "rolls the eyes": "eyeroll", "rolls eyes": "eyeroll",
    "rolling her eyes": "eyeroll", "rolling his eyes": "eyeroll", "rolling their eyes": "eyeroll",
    "rolling the eyes": "eyeroll", "rolled her eyes": "eyeroll", "rolled his eyes": "eyeroll",
    "roll of the eyes": "eyeroll", "eyes roll": "eyeroll", "eyes rolling": "eyeroll",
    "puppy dog eyes": "puppyeyes", "puppy eyes": "puppyeyes", "poker face": "pokerface",
    "duck face": "duckface", "kissy face": "duckface", "duck lips": "duckface",
    "raised eyebrow": "raisedbrow", "raised brow": "raisedbrow", "arched eyebrow": "raisedbrow",
    "arched brow": "raisedbrow", "cocked eyebrow": "raisedbrow", "cocked brow": "raisedbrow",
    "stick out": "stickout", "sticks out": "stickout", "sticking out": "stickout", "stuck out": "stickout",
    "pokes out": "stickout", "poke out": "stickout", "poking out": "stickout", "poked out": "stickout",
    "point of the chin": "chin", "tip of the tongue": "tongue", "bridge of the nose": "nose",
    "top of the head": "head",
    "to one side": "aside", "to the side": "aside", "off to the side": "aside", "one sided": "onesided",
    "from the viewer s": "viewer", "from our": "viewer", "on screen": "viewer", "screen left": "viewer left",
    "screen right": "viewer right", "camera left": "viewer left", "camera right": "viewer right",
    "frame left": "viewer left", "frame right": "viewer right", "image left": "viewer left",
    "image right": "viewer right", "stage left": "left", "stage right": "right",
    "on the left of the frame": "viewer left", "left of the frame": "viewer left", "left of frame": "viewer left",
    "on the left of the screen": "viewer left", "left of the screen": "viewer left", "left of screen": "viewer left",
    "on the left of the image": "viewer left", "left of the image": "viewer left", "left of image": "viewer left",
    "on the left of the picture": "viewer left", "left of the picture": "viewer left", "left of picture": "viewer left",
    "on the left of the shot": "viewer left", "left of the shot": "viewer left", "left of shot": "viewer left",
    "on the right of the frame": "viewer right", "right of the frame": "viewer right", "right of frame": "viewer right",
    "on the right of the screen": "viewer right", "right of the screen": "viewer right",
    "right of screen": "viewer right",
    "on the right of the image": "viewer right", "right of the image": "viewer right", "right of image": "viewer right",
    "on the right of the picture": "viewer right", "right of the picture": "viewer right",
    "right of picture": "viewer right",
    "on the right of the shot": "viewer right", "right of the shot": "viewer right", "right of shot": "viewer right",
    "straight ahead": "ahead", "as before": "unchanged", "as it was": "unchanged",
    "the same as before": "unchanged", "same as before": "unchanged", "nothing changes": "unchanged", "nothing else changes": "face unchanged",
    "no change": "unchanged", "no other change": "face unchanged", "no other changes": "face unchanged", "at the camera": "ahead", "into the camera": "ahead", "at the viewer": "ahead",
    "at the lens": "ahead", "into the lens": "ahead", "at the audience": "ahead", "dead ahead": "ahead",
    "lip bite": "lipbite", "bites her lip": "lipbite", "bites his lip": "lipbite", "bites their lip": "lipbite",
    "biting her lip": "lipbite", "biting his lip": "lipbite", "biting the lip": "lipbite", "bites the lip": "lipbite",
    "mouth stretch": "lipstretch", "o shape": "oshape", "o shaped": "oshape", "an o": "oshape", "the o": "oshape",
    "an oo": "oshape",
    "an ooh": "oshape", "an oh": "oshape", "oo": "oshape", "ooh": "oshape", "o": "oshape",
    "at the tip of her nose": "crosseyed", "at the tip of his nose": "crosseyed", "at her nose": "crosseyed",
    "at his nose": "crosseyed", "toward the nose": "inward", "towards the nose": "inward", "toward his nose": "inward",
    "toward her nose": "inward", "towards his nose": "inward", "towards her nose": "inward",
    "toward their nose": "inward",
    "oo shape": "oshape", "ooh shape": "oshape", "oh shape": "oshape", "ee shape": "eeshape",
    "blows a raspberry": "raspberry", "blowing a raspberry": "raspberry", "blow a raspberry": "raspberry",
    "under eye": "lowerlid", "under eyes": "lowerlid", "under the eyes": "lowerlid",
    "apples of the cheeks": "cheeks", "apples of her cheeks": "cheeks", "apples of his cheeks": "cheeks",
    "fill with air": "puff", "fills with air": "puff", "filled with air": "puff", "full of air": "puff",
    "blows out": "puff", "blow out": "puff", "blowing out": "puff", "blown out": "puff", "puffed out": "puff",
    "puffs out": "puff", "puff out": "puff", "puffing out": "puff",
    "suck in": "suckin", "sucks in": "suckin", "sucked in": "suckin", "sucking in": "suckin",
    "double take": "", "at all": "", "in a": "", "of the face": "", "of her face": "", "of his face": "",
    "whites of the eyes": "wideeyed", "whites of her eyes": "wideeyed", "whites of his eyes": "wideeyed",
    "whites of their eyes": "wideeyed", "saying oo": "oshape", "saying ooh": "oshape", "saying who": "oshape",
    "saying you": "oshape", "saying boo": "oshape", "saying ee": "eeshape", "saying cheese": "eeshape",
    "saying ah": "ahshape", "saying aah": "ahshape", "an ah": "ahshape", "ah shape": "ahshape",
    "to both sides": "wide", "to the sides": "wide", "out to the sides": "wide", "to each side": "wide",
    "cannot help but": "", "cannot help": "", "could not help but": "", "could not help": "",
    "cannot stop": "", "could not stop": "", "cannot keep from": "", "not help but": "",
    "settles on": "looks at", "settle on": "look at", "settled on": "looked at", "settling on": "looking at",
    "rests on": "looks at", "rest on": "look at", "resting on": "looking at", "lands on": "looks at",
    "lights up": "delighted", "light up": "delighted", "lit up": "delighted", "brightens": "delighted",
    "out on stalks": "wideeyed", "on stalks": "wideeyed", "like dinner plates": "wideeyed", "like plates": "wideeyed",
    "like saucers": "wideeyed", "puppy dog": "puppyeyes", "nose in the air": "chin up",
    "stiff upper lip": "tightlipped",
    "bites back a": "suppressed barely", "fighting back a": "suppressed barely", "holding back a": "suppressed barely",
    "holds in a": "suppressed barely", "hold in a": "suppressed barely", "holding in a": "suppressed barely", "holds back a": "suppressed barely", "fights back a": "suppressed barely", "suppresses a": "suppressed barely",
    "stifles a": "suppressed barely", "hides a": "suppressed barely", "hiding a": "suppressed barely", "suppressing a": "suppressed barely",
    "into his mouth": "in", "into her mouth": "in", "into the mouth": "in", "into their mouth": "in",
    "blow out a candle": "funnel", "blow out a candles": "funnel", "blow out the candle": "funnel",
    "blow out the candles": "funnel", "blows out a candle": "funnel", "blows out a candles": "funnel",
    "blows out the candle": "funnel", "blows out the candles": "funnel", "blowing out a candle": "funnel",
    "blowing out a candles": "funnel", "blowing out the candle": "funnel", "blowing out the candles": "funnel",
    "not quite": "barely", "drops from her face": "vanishes", "drops from his face": "vanishes",
    "falls from her face": "vanishes", "falls from his face": "vanishes", "leaves her face": "vanishes",
    "leaves his face": "vanishes", "slides off her face": "vanishes", "slides off his face": "vanishes",
    "upside down smile": "frown", "screws up": "scrunch", "screwed up": "scrunch", "screwing up": "scrunch",
    "screw up": "scrunch", "draws back": "retract", "drawn back": "retract", "draw back": "retract",
    "with air": "puff", "i do not know": "", "i dunno": "", "jaw drop": "jawdrop", "at half mast": "half closed",
    "half mast": "half closed",
    "frown lines": "furrow", "frown line": "furrow", "worry lines": "worried brows", "laugh lines": "crowsfeet",
    "jaw dropped": "jawdrop", "jaw dropping": "jawdrop",
}

# Words that end one clause and start another. "without" also negates the clause it starts.
SPLITTERS = frozenset({
    "and", "while", "whilst", "as", "but", "then", "yet", "with", "without", "before", "after",
    "until", "because", "whereas", "plus", "though", "although", "meanwhile", "also", "&",
    "that", "which", "who", "whose", "where",
})

FILLERS = frozenset({
    "the", "a", "an", "his", "her", "their", "its", "of", "s", "is", "are", "be", "being", "been",
    "was", "were", "to", "into", "toward", "towards", "in", "on", "at", "both", "each", "own", "face",
    "slowly", "quickly", "suddenly", "gradually", "now", "still", "remain", "remains", "stay", "stays",
    "keep", "keeps", "very", "really", "quite", "so", "little",
})

# --- regions ---------------------------------------------------------------------------------

# word (after spelling and lemma) -> region key
REGION_WORDS: dict[str, str] = {
    "brow": "brow", "brows": "brow", "browline": "brow", "glabella": "inner_brow",
    "forehead": "forehead",
    "eye": "eye", "eyes": "eye", "eyeball": "gaze", "eyeballs": "gaze",
    "lid": "lid", "lids": "lid", "lowerlid": "lower_lid", "lash": "lid", "lashes": "lid", "eyelash": "lid",
    "eyelashes": "lid", "philtrum": "upper_lip", "temple": "forehead", "temples": "forehead",
    "eyecorners": "eyecorner", "crowsfeet": "eyecorner",
    "gaze": "gaze", "pupil": "gaze", "pupils": "gaze", "iris": "gaze", "irises": "gaze",
    "eyeline": "gaze",
    "cheek": "cheek", "cheeks": "cheek", "cheekbone": "cheek", "cheekbones": "cheek",
    "nose": "nose", "nostril": "nose", "nostrils": "nose", "nasal": "nose",
    "mouth": "mouth", "lips": "lips", "lip": "lip", "mouthline": "mouth",
    "corner": "corner", "corners": "corner",
    "teeth": "teeth", "tooth": "teeth",
    "chin": "chin", "jaw": "jaw", "jaws": "jaw", "underjaw": "jaw", "jawline": "jaw", "mandible": "jaw",
    "tongue": "tongue",
    "head": "head", "neck": "head", "skull": "head",
    "face": "face", "expression": "face", "features": "face", "visage": "face",
}

# (modifier, region) -> refined region. Modifiers may sit before ("inner brows") or after
# ("brows' inner ends", "ends of the brows, inner") the region word within a few tokens.
REGION_MODIFIERS: dict[tuple[str, str], str] = {
    ("inner", "brow"): "inner_brow", ("middle", "brow"): "inner_brow", ("center", "brow"): "inner_brow",
    ("between", "brow"): "inner_brow", ("medial", "brow"): "inner_brow", ("inside", "brow"): "inner_brow",
    ("outer", "brow"): "outer_brow", ("outside", "brow"): "outer_brow", ("tail", "brow"): "outer_brow",
    ("tails", "brow"): "outer_brow", ("lateral", "brow"): "outer_brow", ("end", "brow"): "outer_brow",
    ("upper", "lid"): "upper_lid", ("top", "lid"): "upper_lid", ("lower", "lid"): "lower_lid",
    ("bottom", "lid"): "lower_lid", ("under", "lid"): "lower_lid",
    ("upper", "lip"): "upper_lip", ("top", "lip"): "upper_lip", ("lower", "lip"): "lower_lip",
    ("bottom", "lip"): "lower_lip", ("under", "lip"): "lower_lip",
    ("upper", "lips"): "upper_lip", ("lower", "lips"): "lower_lip",
    ("upper", "teeth"): "upper_teeth", ("top", "teeth"): "upper_teeth", ("lower", "teeth"): "lower_teeth",
    ("bottom", "teeth"): "lower_teeth",
    ("lower", "jaw"): "jaw", ("lower", "face"): "mouth",
    ("corner", "lip"): "corner", ("corner", "lips"): "corner", ("corner", "mouth"): "corner",
    ("corners", "lip"): "corner", ("corners", "lips"): "corner", ("corners", "mouth"): "corner",
    ("corner", "eye"): "eyecorner", ("corners", "eye"): "eyecorner",
}
POSITION_WORDS = frozenset(m for m, _ in REGION_MODIFIERS)

# --- motions ---------------------------------------------------------------------------------

# Verbs/adjectives -> canonical motion. None = generic: the motion comes from a direction word.
MOTION_WORDS: dict[str, str | None] = {
    # up
    "raise": "up", "lift": "up", "rise": "up", "elevate": "up", "hike": "up", "hoist": "up", "perk": "up",
    "climb": "up", "peak": "up", "soar": "up", "leap": "up", "boost": "up", "heighten": "up", "upturn": "up",
    "upturned": "up", "uplift": "up",
    "arch": "arch", "arched": "arch", "raiser": "up", "lifted": "up", "raised": "up", "risen": "up",
    # down
    "lower": "down", "drop": "down", "sink": "down", "fall": "down", "descend": "down", "dip": "down",
    "depress": "down", "depressor": "down", "lowerer": "down", "downturn": "down", "downturned": "down",
    "downcast": "down", "slump": "down", "plunge": "down", "plummet": "down", "tumble": "down", "hang": "droop",
    "droop": "droop", "droopy": "droop", "sag": "droop", "heavy": "droop", "hooded": "droop",
    "sleepy": "droop", "drowsy": "droop", "tired": "droop", "weary": "droop", "lidded": "droop",
    # together / brow lowering
    "furrow": "together", "knit": "together", "pinch": "together", "crease": "together",
    "bunch": "together", "draw": None, "frown": "frown", "scowl": "frown", "glower": "frown",
    "converge": "crosseye", "gather": "together", "pucker": "pucker",
    # narrowing, widening, opening, closing
    "narrow": "narrow", "squint": "narrow", "slit": "narrow", "tighten": "tense", "tightener": "tense",
    "tight": "tense", "tense": "tense", "tension": "tense", "taut": "tense", "strain": "tense",
    "widen": "widen", "bug": "widen", "goggle": "widen", "enlarge": "widen", "broaden": "widen", "deepen": "widen",
    "bulge": "widen", "pop": "widen", "wideeyed": "widen", "saucer": "widen",
    "open": "open", "reopen": "open", "wideopen": "wideopen", "gape": "open", "agape": "open", "unclose": "open",
    "openmouthed": "open", "slack": "open", "slackjawed": "open", "jawdrop": "open", "ajar": "part",
    "close": "close", "shut": "close", "closed": "close", "seal": "close", "meet": "close",
    "blink": "close", "squeeze": "squeeze", "scrunch": "crinkle", "crinkle": "crinkle", "wrinkle": "crinkle",
    "wrinkler": "crinkle", "crumple": "crinkle", "pebble": "crinkle", "wrinkly": "crinkle", "crinkly": "crinkle",
    "scrunchy": "crinkle",
    "part": "part", "parted": "part", "touch": "close", "separate": "part", "unseal": "part",
    # lips
    "press": "press", "presser": "press", "pressor": "press", "compress": "press", "clamp": "press",
    "thin": "press", "tightlipped": "press", "flatten": "press", "firm": "press",
    "purse": "pucker", "kiss": "pucker", "puckerer": "pucker", "protrude": "out", "pout": "pout",
    "funnel": "funnel", "funneler": "funnel", "round": "funnel", "rounded": "funnel", "oshape": "funnel",
    "trumpet": "funnel",
    "roll": None, "suckin": "in", "tuck": None, "fold": None, "hide": "in", "bite": "in", "chew": "in",
    "nibble": "in", "gnaw": "in", "hollow": "in", "retract": "back",
    "curl": "curl", "sneer": "sneer", "snarl": "snarl", "flare": "flare", "dilate": "flare",
    "stretch": "stretch", "stretcher": "stretch", "lipstretch": "stretch", "spread": "stretch",
    "smile": "smile", "grin": "smile", "beam": "smile", "simper": "smile", "contract": "together", "puller": None,
    "rosebud": "pucker", "screw": "squeeze", "dimple": "dimple", "dimpler": "dimple", "dimply": "dimple",
    "button": "press", "zip": "press",
    "shrug": "shrug", "tremble": "tremble", "quiver": "tremble", "wobble": "tremble", "shake": "shake",
    "puff": "puff", "puffy": "puff", "blow": "puff", "hamster": "puff", "chipmunk": "puff", "bunny": "sneer",
    "inflate": "puff", "balloon": "puff", "swell": "puff", "bloat": "puff", "puffer": "puff",
    "clench": "clench", "clencher": "clench", "grit": "clench", "grind": "clench",
    "lock": "clench", "bare": "show", "show": "show", "expose": "show", "reveal": "show", "flash": "show",
    "stickout": "out", "jut": "out", "thrust": "forward", "extend": "out", "loll": "out", "dart": None,
    "lick": "lick", "flutter": "flutter", "quirk": "quirk", "twitch": "quirk", "twinkle": "smile", "sparkle": "smile",
    # head and gaze
    "tilt": "tilt", "cock": "tilt", "incline": "tilt", "lean": "tilt", "list": "tilt", "tip": None,
    "nod": "nod", "bow": "nod", "duck": "nod",
    "turn": None, "swivel": "turn", "rotate": "turn", "twist": "twist", "avert": "avert",
    "look": None, "glance": "glance", "peep": "glance", "gaze": None, "peer": "peer", "peek": "glance",
    "stare": "stare",
    "glare": "glare", "cast": None, "watch": None, "sideeye": "glance", "eyeroll": "eyeroll", "cross": "crosseye",
    "crosseyed": "crosseye",
    # generic movers (direction decides)
    "pull": None, "push": None, "move": None, "go": None, "come": None, "shift": None, "slide": None,
    "bring": None, "travel": None, "drift": None, "flick": None, "swing": None, "snap": None,
    "shoot": None, "jump": None, "fly": None, "tug": None, "yank": None, "drag": None, "haul": None,
    "hitch": None, "curve": None, "bend": None, "angle": None, "point": None,
    "creep": None, "inch": None, "edge": None, "pulled": None, "skew": None, "veer": None, "wander": None,
    "spring": None, "sweep": None, "stick": None, "poke": None,
    # emotion-tinged adjectives that also attach to a region ("worried brows")
    "worry": "worry", "worried": "worry", "pleading": "worry", "anxious": "worry", "concerned": "worry",
    "pained": "worry", "sad": "sad", "sorrowful": "sad", "angry": "angry", "furious": "angry",
    "stern": "angry", "fierce": "angry", "surprised": "surprise", "shocked": "surprise",
    "astonished": "surprise", "startled": "surprise", "happy": "smile", "joyful": "smile",
    "smiling": "smile", "crinkled": "crinkle",
    # release
    "relax": "relax", "release": "relax", "loosen": "relax", "slacken": "open", "soften": "soften",
    "ease": "soften", "straighten": "relax", "smooth": "relax", "unfurrow": "relax", "settle": "relax", "rest": "relax",
    "neutral": "relax", "calm": "relax", "flat": "relax", "squinty": "narrow", "blank": "relax",
    "expressionless": "relax",
    "pokerface": "relax", "deadpan": "relax", "impassive": "relax", "stoic": "relax",
}

# Motions whose region is obvious when the clause names none ("she squints", "he nods").
MOTION_REGION: dict[str, str] = {
    "narrow": "eye", "widen": "eye", "wideopen": "eye", "close": "eye", "squeeze": "eye", "squeezeshut": "eye",
    "pucker": "lips", "funnel": "lips", "pout": "lips", "press": "lips", "puff": "cheek", "sneer": "nose",
    "snarl": "upper_lip", "flare": "nose", "tilt": "head", "nod": "head", "turn": "head", "shake": "head",
    "look": "gaze", "glance": "gaze", "peer": "gaze", "stare": "gaze", "glare": "gaze", "avert": "gaze",
    "eyeroll": "gaze", "crosseye": "gaze", "open": "mouth", "part": "lips", "clench": "jaw",
    "stretch": "mouth", "shrug": "mouth", "dimple": "corner", "tremble": "lower_lip", "lick": "tongue",
    "frown": None, "smile": None, "crinkle": "face", "twist": "mouth", "together": "brow", "relax": "face",
    "soften": "face",
}

# Generic verbs that still imply a region ("looks up" -> gaze, "turns away" -> head) and a
# motion when no direction follows ("turns" -> turn). Region None: only the motion default.
VERB_REGION: dict[str, tuple[str, str | None]] = {
    "look": ("gaze", None), "gaze": ("gaze", None), "study": ("gaze", None), "contemplate": ("gaze", None),
    "eyeing": ("gaze", None), "examine": ("gaze", None),
    "inspect": ("gaze", None), "scan": ("gaze", None), "observe": ("gaze", None), "regard": ("gaze", None),
    "cast": ("gaze", None), "watch": ("gaze", None),
    "turn": ("head", "turn"), "tip": ("head", None), "dart": ("gaze", None), "flick": ("gaze", None),
    "wander": ("gaze", None), "drift": ("gaze", None), "stick": ("tongue", "out"), "poke": ("tongue", "out"),
    "roll": (None, "in"), "set": (None, "clench"), "tuck": (None, "in"), "fold": (None, "in"), "suck": (None, "in"),
}

# Adjectives that state a part's shape when the clause has no verb ("make the eyes big", "cheeks full").
STATE_WORDS: dict[tuple[str, str], str] = {
    ("eye", "wide"): "widen", ("eye", "big"): "widen", ("eye", "large"): "widen", ("eye", "huge"): "widen",
    ("eye", "round"): "widen", ("eye", "enormous"): "widen", ("eye", "giant"): "widen", ("eye", "massive"): "widen",
    ("eye", "small"): "narrow", ("eye", "tiny"): "narrow", ("eye", "little"): "narrow",
    ("lid", "wide"): "widen", ("lid", "big"): "widen", ("lid", "small"): "narrow",
    ("mouth", "wide"): "wideopen", ("mouth", "big"): "open", ("lips", "wide"): "stretch", ("lips", "big"): "pout",
    ("cheek", "full"): "puff", ("cheek", "big"): "puff", ("cheek", "fat"): "puff", ("cheek", "round"): "puff",
    ("brow", "high"): "up", ("brow", "low"): "down",
}

# Direction words -> direction. Gaze/head/jaw use them literally; generic verbs turn them into motions.
DIRECTION_WORDS: dict[str, str] = {
    "up": "up", "upward": "up", "upwards": "up", "skyward": "up", "heavenward": "up", "ceiling": "up",
    "sky": "up", "above": "up", "overhead": "up", "high": "up", "higher": "up",
    "down": "down", "downward": "down", "downwards": "down", "floor": "down", "ground": "down",
    "feet": "down", "lap": "down", "below": "down", "downcast": "down", "low": "down", "shoe": "down",
    "shoes": "down", "hand": "down", "hands": "down", "knee": "down", "knees": "down", "toe": "down",
    "toes": "down", "phone": "down", "table": "down", "desk": "down", "book": "down", "chest": "down",
    "carpet": "down", "rug": "down", "pavement": "down", "sidewalk": "down", "boots": "down", "plate": "down",
    "page": "down", "papers": "down", "keyboard": "down",
    "top": "up", "bottom": "down", "outside": "out", "stars": "up", "heaven": "up", "heavens": "up", "clouds": "up",
    "left": "left", "leftward": "left", "leftwards": "left", "right": "right", "rightward": "right",
    "rightwards": "right",
    "aside": "aside", "sideways": "aside", "sidelong": "aside", "away": "aside", "side": "aside",
    "together": "together", "inward": "inward", "inwards": "inward", "in": "in", "inside": "in",
    "apart": "apart", "wide": "wide", "horizontally": "wide", "back": "back", "backward": "back", "backwards": "back",
    "forward": "forward", "forwards": "forward", "out": "out", "outward": "outward", "outwards": "outward",
    "ahead": "ahead", "front": "forward", "distance": "ahead", "horizon": "ahead", "nowhere": "ahead",
    "camera": "ahead",
}

# A generic verb + direction -> motion (per direction).
GENERIC_DIRECTION: dict[str, str] = {
    "up": "up", "down": "down", "together": "together", "in": "in", "apart": "part", "wide": "widen",
    "back": "back", "forward": "forward", "out": "out", "left": "lateral", "right": "lateral",
    "aside": "lateral", "ahead": "look", "inward": "in", "outward": "out",
}

# Result words right after a verb replace its motion ("drops open", "squeezed shut", "pulled taut").
RESULT_WORDS: dict[str, str] = {
    "open": "open", "wideopen": "wideopen", "shut": "close", "closed": "close", "apart": "part",
    "together": "together", "tight": "tense", "agape": "open", "ajar": "part", "taut": "stretch", "flat": "press",
    "thin": "press",
}

# --- degree, negation, sides -----------------------------------------------------------------

# word -> level on the release's scale (plain = PLAIN). Absolute where a number is given.
DEGREE_WORDS: dict[str, float] = {
    "barely": 0.15, "faint": 0.18, "faintly": 0.18, "trace": 0.15, "hint": 0.15, "subtle": 0.22,
    "subtly": 0.22, "tiny": 0.2, "minimal": 0.15, "imperceptibly": 0.12, "almost": 0.8, "nearly": 0.8,
    "slight": 0.3, "slightly": 0.3, "small": 0.33, "mild": 0.3, "mildly": 0.3, "lightly": 0.3,
    "gentle": 0.3, "gently": 0.3, "soft": 0.32, "softly": 0.32, "minor": 0.28,
    "little": 0.3, "weak": 0.28, "weakly": 0.28, "restrained": 0.4, "tentative": 0.35, "brief": 0.4,
    "somewhat": 0.42, "partly": 0.45, "partially": 0.45, "partway": 0.45, "moderate": 0.45,
    "moderately": 0.45, "half": 0.5, "halfway": 0.5, "semi": 0.5, "medium": 0.5, "fairly": 0.45,
    "clearly": 0.7, "visibly": 0.65, "visible": 0.6, "noticeably": 0.65, "noticeable": 0.65,
    "distinctly": 0.7, "firmly": 0.7, "firm": 0.7, "broad": 0.72, "broadly": 0.72, "big": 0.72,
    "large": 0.72, "deep": 0.72, "deeply": 0.72, "tightly": 0.75, "hard": 0.78, "sharply": 0.75,
    "sharp": 0.72, "wide": 0.75, "high": 0.72, "widely": 0.75, "well": 0.65, "much": 0.7, "marked": 0.7,
    "markedly": 0.7, "pronounced": 0.72, "huge": 0.9, "enormous": 0.92,
    "strongly": 0.85, "strong": 0.82, "intensely": 0.88, "intense": 0.85, "heavily": 0.85,
    "fiercely": 0.88, "forcefully": 0.88, "forceful": 0.85, "hugely": 0.9, "dramatically": 0.9,
    "dramatic": 0.88, "greatly": 0.85, "severely": 0.88, "violently": 0.92, "exaggerated": 0.9,
    "fully": 1.0, "full": 1.0, "fullest": 1.0, "completely": 1.0, "totally": 1.0, "entirely": 1.0, "maximally": 1.0,
    "maximum": 1.0, "max": 1.0, "extremely": 0.95, "utterly": 1.0, "wideopen": 0.95,
}
INTENSIFIERS = frozenset({"very", "really", "so", "extra", "super", "quite", "incredibly", "most"})

# Comparatives ("wider", "a little higher", "much broader") say how far past plain a move goes, set by the
# word before them: a little -> modest, nothing -> moderate (plain), much/far -> high. Raw word forms.
COMPARATIVES = frozenset({"wider", "higher", "broader", "bigger", "larger", "further", "farther", "more",
                          "deeper", "tighter", "stronger", "harder", "narrower", "lower", "rounder"})
COMPARATIVE_LEVELS: dict[str, float] = {
    "barely": 0.2, "slightly": 0.3, "little": 0.3, "somewhat": 0.4, "bit": 0.3,
    "much": 0.85, "far": 0.85, "way": 0.85, "even": 0.8, "considerably": 0.85, "significantly": 0.85,
    "lot": 0.85, "still": 0.75, "noticeably": 0.7, "visibly": 0.7,
    "": 0.55,  # a bare comparative: a clear, plain-sized move
}

# Word starts of verbs that hold an expression back ("stifles a laugh", "fighting a grin", "a suppressed smile"):
# right before a smile word they make it a trace with the lips pressed.
SUPPRESSING = ("suppress", "stifl", "swallow", "smother", "repress", "chok", "fight", "fought", "hid", "resist",
               "curb", "contain")

# A clause with one of these says a part holds its earlier state ("the smile remains", "still frowning",
# "the rest of the face is unchanged"); with the previous keyframe known, its values are carried over.
PERSIST_WORDS = frozenset({
    "remain", "remains", "remained", "remaining", "stay", "stays", "stayed", "staying", "still",
    "keep", "keeps", "kept", "keeping", "continue", "continues", "continued", "continuing",
    "hold", "holds", "held", "holding", "unchanged", "persist", "persists", "persisting", "linger",
    "lingers", "lingering", "maintain", "maintains", "maintained", "maintaining", "steady",
})

NEGATIONS = frozenset({
    "not", "no", "never", "cannot", "without", "stop", "cease", "fade", "vanish", "disappear", "gone", "lose",
    "nor", "neither", "unsmiling", "drain", "die", "wipe", "abandon", "erase", "dissolve", "melt",
})

# Words that make an action one-sided. Value = share left on the other side.
ONE_SIDED: dict[str, float] = {
    "one": 0.0, "single": 0.0, "onesided": 0.0, "unilateral": 0.0, "unilaterally": 0.0,
    "lopsided": 0.3, "asymmetric": 0.3, "asymmetrical": 0.3, "asymmetrically": 0.3, "crooked": 0.3,
    "uneven": 0.35, "unevenly": 0.35, "wry": 0.25, "askew": 0.3,
}
VIEWER_WORDS = frozenset({"viewer", "viewers", "our", "screen", "camera"})

# --- whole expressions -------------------------------------------------------------------------

# word -> (motion used when the word names a region's action, bundle used on its own, rule name)
# Bundle values are at the plain level; a degree word scales them.
EXPRESSIONS: dict[str, tuple[str | None, dict[str, float], str]] = {
    "smile": ("smile", {"MouthSmile": 0.55, "CheekSquint": 0.15}, "smile (AU12)"),
    "grin": ("smile", {"MouthSmile": 0.75, "CheekSquint": 0.35, "JawOpen": 0.08, "MouthUpperUp": 0.15,
                       "MouthLowerDown": 0.12, "MouthStretch": 0.1}, "grin (AU6+12+25)"),
    "beam": ("smile", {"MouthSmile": 0.85, "CheekSquint": 0.5, "EyeSquint": 0.2, "JawOpen": 0.1},
             "beaming smile (AU6+12)"),
    "smirk": ("smile", {"MouthSmile@": 0.5, "MouthDimple@": 0.3}, "smirk (unilateral AU12+14)"),
    "laugh": ("smile", {"MouthSmile": 0.8, "JawOpen": 0.45, "CheekSquint": 0.55, "EyeSquint": 0.35,
                        "MouthUpperUp": 0.15, "MouthLowerDown": 0.2}, "laugh (AU6+12+26)"),
    "chuckle": ("smile", {"MouthSmile": 0.6, "CheekSquint": 0.35, "EyeSquint": 0.2, "JawOpen": 0.12},
                "chuckle (AU6+12)"),
    "giggle": ("smile", {"MouthSmile": 0.65, "CheekSquint": 0.4, "EyeSquint": 0.25, "JawOpen": 0.15},
               "giggle (AU6+12)"),
    "frown": ("frown", {"MouthFrown": 0.55, "BrowDown": 0.45}, "frown (AU4+15)"),
    "scowl": ("frown", {"BrowDown": 0.75, "EyeSquint": 0.3, "MouthFrown": 0.3, "NoseSneer": 0.15},
              "scowl (AU4+7+15)"),
    "glower": ("frown", {"BrowDown": 0.7, "EyeSquint": 0.35, "MouthPress": 0.25}, "glower (AU4+7+24)"),
    "glare": ("frown", {"BrowDown": 0.6, "EyeSquint": 0.3, "EyeWide": 0.1, "MouthPress": 0.2},
              "glare (AU4+7)"),
    "grimace": ("stretch", {"MouthStretch": 0.6, "BrowDown": 0.4, "EyeSquint": 0.4, "MouthUpperUp": 0.3,
                            "MouthLowerDown": 0.3, "NoseSneer": 0.2, "CheekSquint": 0.2},
                "grimace (AU4+7+10+20)"),
    "wince": ("narrow", {"EyeSquint": 0.6, "BrowDown": 0.5, "CheekSquint": 0.4, "MouthStretch": 0.35,
                         "NoseSneer": 0.3, "EyeBlink": 0.35, "MouthUpperUp": 0.2}, "wince (AU4+6+7+9+20)"),
    "cringe": ("stretch", {"MouthStretch": 0.5, "EyeSquint": 0.45, "BrowDown": 0.4, "NoseSneer": 0.3,
                           "MouthUpperUp": 0.2, "HEAD_PITCH": -0.1}, "cringe (AU4+7+9+20)"),
    "pout": ("pout", {"MouthPucker": 0.5, "MouthShrugLower": 0.4, "MouthFrown": 0.25},
             "pout (AU15+17+18)"),
    "sulk": ("pout", {"MouthFrown": 0.4, "MouthShrugLower": 0.35, "BrowDown": 0.3, "GAZE_DOWN": 0.3},
             "sulk (AU4+15+17)"),
    "sneer": ("sneer", {"NoseSneer": 0.6, "MouthUpperUp": 0.45, "BrowDown": 0.15}, "sneer (AU9+10)"),
    "snarl": ("snarl", {"MouthUpperUp": 0.7, "NoseSneer": 0.6, "BrowDown": 0.5, "MouthLowerDown": 0.3},
              "snarl (AU4+9+10+16)"),
    "gasp": ("open", {"JawOpen": 0.6, "EyeWide": 0.55, "BrowInnerUp": 0.5, "BrowOuterUp": 0.45,
                      "MouthFunnel": 0.15}, "gasp (AU1+2+5+26)"),
    "yawn": ("open", {"JawOpen": 0.95, "EyeBlink": 0.6, "BrowInnerUp": 0.2, "MouthStretch": 0.25,
                      "HEAD_PITCH": 0.12}, "yawn (AU26/27+43)"),
    "gawk": ("open", {"JawOpen": 0.45, "EyeWide": 0.5, "BrowOuterUp": 0.3}, "gawk (AU2+5+26)"),
    "wink": ("wink", {"EyeBlink@": 1.0, "CheekSquint@": 0.35, "MouthSmile@": 0.2}, "wink (AU46)"),
    "blink": ("close", {"EyeBlink": 1.0}, "blink (AU45)"),
    "squint": ("narrow", {"EyeSquint": 0.6, "CheekSquint": 0.2}, "squint (AU7)"),
    "whistle": ("pucker", {"MouthPucker": 0.65, "MouthFunnel": 0.3}, "whistle (AU18+22)"),
    "kiss": ("pucker", {"MouthPucker": 0.75, "MouthFunnel": 0.1}, "kiss (AU18)"),
    "duckface": ("pucker", {"MouthPucker": 0.8, "MouthFunnel": 0.2}, "duck face (AU18)"),
    "eyeroll": ("eyeroll", {"GAZE_UP": 0.85, "EyeBlink": 0.1, "BrowOuterUp": 0.1}, "eye roll (AU63)"),
    "raisedbrow": ("arch", {"BrowOuterUp@": 0.7, "BrowInnerUp": 0.25}, "raised eyebrow (unilateral AU1+2)"),
    "puppyeyes": ("worry", {"BrowInnerUp": 0.75, "EyeWide": 0.15, "MouthPucker": 0.1, "MouthFrown": 0.15},
                  "puppy-dog eyes (AU1)"),
    "raspberry": ("out", {"TongueOut": 0.6, "CheekPuff": 0.3, "JawOpen": 0.15}, "raspberry (AU19+34)"),
    "eeshape": ("stretch", {"MouthStretch": 0.5, "MouthSmile": 0.2, "JawOpen": 0.1}, "'ee' mouth (AU20)"),
    "asleep": ("close", {"EyeBlink": 1.0, "HEAD_PITCH": -0.1, "JawOpen": 0.05}, "asleep (AU43)"),
    "sour": ("pucker", {"MouthPucker": 0.45, "EyeSquint": 0.4, "NoseSneer": 0.3, "BrowDown": 0.2},
             "sour face (AU4+7+9+18)"),
    "eek": ("stretch", {"MouthStretch": 0.6, "EyeWide": 0.3, "BrowInnerUp": 0.3, "MouthUpperUp": 0.2,
                        "MouthLowerDown": 0.2}, "'eek' face (AU1+5+20)"),
    "ahshape": ("open", {"JawOpen": 0.6, "MouthLowerDown": 0.1}, "'ah' mouth (AU26)"),
    "blep": ("out", {"TongueOut": 0.5, "JawOpen": 0.1}, "tongue peek (AU19)"),
    "lipbite": ("in", {"MouthRollLower": 0.55, "MouthUpperUp": 0.1}, "lip bite (AU32)"),
    "sigh": ("droop", {"EyeBlink": 0.3, "BrowInnerUp": 0.25, "JawOpen": 0.12, "HEAD_PITCH": -0.08},
             "sigh (AU1+43)"),
    "shush": ("pucker", {"MouthPucker": 0.6}, "shush (AU18)"),
    # EMFACS prototypes when the description itself names the emotion ("an angry glare")
    "happy": ("smile", {"MouthSmile": 0.55, "CheekSquint": 0.4, "EyeSquint": 0.15}, "happiness (AU6+12)"),
    "joy": ("smile", {"MouthSmile": 0.65, "CheekSquint": 0.45, "EyeSquint": 0.2}, "joy (AU6+12)"),
    "delight": ("smile", {"MouthSmile": 0.7, "CheekSquint": 0.45, "BrowOuterUp": 0.15, "JawOpen": 0.15},
                "delight (AU6+12)"),
    "amuse": ("smile", {"MouthSmile": 0.5, "CheekSquint": 0.3, "MouthDimple": 0.15}, "amusement (AU6+12)"),
    "sad": ("sad", {"BrowInnerUp": 0.5, "BrowDown": 0.2, "MouthFrown": 0.45, "GAZE_DOWN": 0.2,
                    "MouthShrugLower": 0.15}, "sadness (AU1+4+15)"),
    "grief": ("sad", {"BrowInnerUp": 0.7, "BrowDown": 0.3, "MouthFrown": 0.6, "EyeSquint": 0.2,
                      "MouthShrugLower": 0.3, "GAZE_DOWN": 0.25}, "grief (AU1+4+15+17)"),
    "surprise": ("surprise", {"BrowInnerUp": 0.6, "BrowOuterUp": 0.6, "EyeWide": 0.5, "JawOpen": 0.4},
                 "surprise (AU1+2+5+26)"),
    "fear": ("fear", {"BrowInnerUp": 0.6, "BrowOuterUp": 0.4, "BrowDown": 0.2, "EyeWide": 0.6,
                      "EyeSquint": 0.1, "MouthStretch": 0.5, "JawOpen": 0.25}, "fear (AU1+2+4+5+7+20+26)"),
    "anger": ("angry", {"BrowDown": 0.65, "EyeWide": 0.2, "EyeSquint": 0.3, "MouthPress": 0.45,
                        "NoseSneer": 0.1}, "anger (AU4+5+7+23)"),
    "disgust": ("sneer", {"NoseSneer": 0.55, "MouthUpperUp": 0.4, "MouthFrown": 0.35, "MouthLowerDown": 0.2,
                          "CheekSquint": 0.2, "BrowDown": 0.2}, "disgust (AU9+15+16)"),
    "contempt": ("smile", {"MouthSmile@": 0.35, "MouthDimple@": 0.4, "EyeSquint": 0.1},
                 "contempt (unilateral AU12+14)"),
    "worry": ("worry", {"BrowInnerUp": 0.5, "BrowDown": 0.1, "MouthPress": 0.3, "MouthStretch": 0.1},
              "worry (AU1+4+24)"),
    "confuse": ("frown", {"BrowDown": 0.35, "BrowOuterUp@": 0.4, "BrowInnerUp": 0.1, "HEAD_ROLL@": 0.12},
                "confusion (AU4 + unilateral AU2)"),
    "doubt": ("narrow", {"EyeSquint": 0.35, "BrowOuterUp@": 0.35, "BrowDown": 0.2, "MouthPress": 0.2},
              "skepticism (AU2+4+7)"),
    "tired": ("droop", {"EyeBlink": 0.45, "BrowInnerUp": 0.1, "HEAD_PITCH": -0.1}, "tiredness (AU43)"),
    "focus": ("narrow", {"BrowDown": 0.35, "EyeSquint": 0.3, "MouthPress": 0.3}, "concentration (AU4+7+24)"),
    "shame": ("down", {"GAZE_DOWN": 0.45, "HEAD_PITCH": -0.2, "MouthPress": 0.2, "BrowInnerUp": 0.2},
              "shame (AU1+24+64)"),
    "pain": ("narrow", {"EyeSquint": 0.6, "BrowDown": 0.5, "CheekSquint": 0.4, "MouthStretch": 0.35,
                        "NoseSneer": 0.3, "EyeBlink": 0.3}, "pain (AU4+6+7+9+20)"),
    "relief": ("smile", {"MouthSmile": 0.35, "EyeBlink": 0.2, "BrowInnerUp": 0.2, "JawOpen": 0.1},
               "relief (AU1+12)"),
    "excite": ("smile", {"MouthSmile": 0.75, "EyeWide": 0.35, "BrowOuterUp": 0.3, "BrowInnerUp": 0.3,
                         "JawOpen": 0.3, "CheekSquint": 0.4}, "excitement (AU1+2+5+6+12+26)"),
    "curious": ("arch", {"BrowOuterUp": 0.35, "BrowInnerUp": 0.2, "EyeWide": 0.15, "HEAD_ROLL@": 0.1},
                "curiosity (AU1+2)"),
    "proud": ("up", {"HEAD_PITCH": 0.2, "MouthSmile": 0.3, "MouthPress": 0.1}, "pride (AU12+53)"),
    "bore": ("droop", {"EyeBlink": 0.4, "MouthFrown": 0.1, "HEAD_ROLL@": 0.08}, "boredom (AU43)"),
    "embarrass": ("down", {"GAZE_DOWN": 0.45, "HEAD_PITCH": -0.15, "MouthSmile": 0.25, "MouthPress": 0.2},
                  "embarrassment (AU12+24+64)"),
    "determine": ("tense", {"BrowDown": 0.4, "MouthPress": 0.4, "EyeSquint": 0.2, "JawForward": 0.1},
                  "determination (AU4+24)"),
    "content": ("smile", {"MouthSmile": 0.3, "EyeBlink": 0.1}, "contentment (AU12)"),
    "cry": ("sad", {"BrowInnerUp": 0.7, "BrowDown": 0.3, "MouthFrown": 0.55, "EyeSquint": 0.4, "CheekSquint": 0.3,
                    "MouthShrugLower": 0.35, "MouthStretch": 0.2, "JawOpen": 0.15}, "crying (AU1+4+6+15+17)"),
    "think": ("narrow", {"BrowDown": 0.25, "EyeSquint": 0.15, "MouthPress": 0.2, "GAZE_UP": 0.3, "GAZE_LEFT": 0.2},
              "thinking (AU4+24, gaze up-aside)"),
    "speak": ("open", {"JawOpen": 0.25, "MouthLowerDown": 0.1, "MouthUpperUp": 0.05}, "speaking (AU25+26)"),
    "shout": ("open", {"JawOpen": 0.7, "MouthUpperUp": 0.3, "MouthLowerDown": 0.3, "BrowDown": 0.45,
                       "MouthStretch": 0.2}, "shouting (AU4+10+16+26)"),
    "scream": ("open", {"JawOpen": 0.85, "MouthStretch": 0.5, "EyeWide": 0.5, "BrowInnerUp": 0.5,
                        "BrowOuterUp": 0.3}, "screaming (AU1+2+5+20+27)"),
    "stern": ("angry", {"BrowDown": 0.35, "MouthPress": 0.3}, "sternness (AU4+24)"),
    "flirt": ("smile", {"MouthSmile@": 0.35, "EyeBlink": 0.3, "BrowOuterUp@": 0.15, "HEAD_ROLL@": 0.1},
              "flirtatious look (AU12+43)"),
    "awe": ("surprise", {"BrowInnerUp": 0.45, "BrowOuterUp": 0.35, "EyeWide": 0.3, "JawOpen": 0.25},
            "awe (AU1+2+5+26)"),
}

# Expression keys that name an emotion (not a facial act): next to explicit part actions they only colour.
EMOTIONS = frozenset({
    "happy", "joy", "delight", "amuse", "sad", "grief", "surprise", "fear", "anger", "disgust", "contempt",
    "worry", "confuse", "doubt", "tired", "focus", "shame", "pain", "relief", "excite", "curious", "proud",
    "bore", "embarrass", "determine", "content", "stern", "awe", "flirt", "think",
})

# Lip-sync mouth shapes (visemes), for "saying 'f'", "an 'm' shape", "mouthing 'oo'".
VISEMES: dict[str, tuple[dict[str, float], str]] = {
    "m": ({"MouthPress": 0.45, "MouthClose": 0.3}, "'m/b/p' viseme: lips together"),
    "b": ({"MouthPress": 0.45, "MouthClose": 0.3}, "'m/b/p' viseme: lips together"),
    "p": ({"MouthPress": 0.5, "MouthClose": 0.3, "CheekPuff": 0.1}, "'m/b/p' viseme: lips together"),
    "f": ({"MouthRollLower": 0.5, "MouthUpperUp": 0.2, "JawOpen": 0.05}, "'f/v' viseme: lower lip under the teeth"),
    "v": ({"MouthRollLower": 0.5, "MouthUpperUp": 0.2, "JawOpen": 0.05}, "'f/v' viseme: lower lip under the teeth"),
    "th": ({"TongueOut": 0.4, "JawOpen": 0.15}, "'th' viseme: tongue between the teeth"),
    "w": ({"MouthPucker": 0.6, "MouthFunnel": 0.2}, "'w' viseme: rounded, pushed-out lips"),
    "oo": ({"MouthFunnel": 0.55, "MouthPucker": 0.35, "JawOpen": 0.1}, "'oo' viseme: rounded lips"),
    "oh": ({"MouthFunnel": 0.5, "JawOpen": 0.35}, "'oh' viseme: open round mouth"),
    "sh": ({"MouthFunnel": 0.45, "MouthPucker": 0.3, "JawOpen": 0.1}, "'sh/ch' viseme: lips flared forward"),
    "ch": ({"MouthFunnel": 0.45, "MouthPucker": 0.3, "JawOpen": 0.1}, "'sh/ch' viseme: lips flared forward"),
    "ee": ({"MouthStretch": 0.5, "MouthSmile": 0.2, "JawOpen": 0.1}, "'ee' viseme: lips spread"),
    "ah": ({"JawOpen": 0.6, "MouthLowerDown": 0.1}, "'ah' viseme: jaw open"),
    "uh": ({"JawOpen": 0.3}, "'uh' viseme: jaw half open"),
    "l": ({"JawOpen": 0.3, "TongueOut": 0.1}, "'l' viseme: tongue tip up"),
}

# Emoji users type as shorthand -> a word the lexicon knows.
EMOJI: dict[str, str] = {
    "\U0001f60a": " smile ", "\U0001f642": " smile ", "\U0001f600": " grin ", "\U0001f601": " grin ",
    "\U0001f603": " grin ", "\U0001f604": " grin ", "\U0001f602": " laugh ", "\U0001f923": " laugh ",
    "\U0001f622": " cry ", "\U0001f62d": " cry ", "\U0001f61e": " sad ", "\U0001f641": " frown ",
    "\u2639": " frown ", "\U0001f620": " angry ", "\U0001f621": " angry ", "\U0001f62e": " gasp ",
    "\U0001f62f": " surprised ", "\U0001f632": " surprised ", "\U0001f631": " scream ",
    "\U0001f628": " afraid ", "\U0001f60f": " smirk ", "\U0001f612": " contempt ", "\U0001f644": " eye roll ",
    "\U0001f609": " wink ", "\U0001f618": " kiss ", "\U0001f617": " kiss ", "\U0001f61b": " tongue out ",
    "\U0001f61c": " wink tongue out ", "\U0001f922": " disgust ", "\U0001f62c": " grimace ",
    "\U0001f634": " asleep ", "\U0001f97a": " puppyeyes ", "\U0001f914": " think ", "\U0001f610": " neutral ",
    "\U0001f611": " neutral ", "\U0001f633": " embarrassed ", "\U0001f615": " confused ",
}

# Synonyms of the expression words above (lemma -> expression key).
EXPRESSION_SYNONYMS: dict[str, str] = {
    "grinning": "grin", "beaming": "beam", "smirking": "smirk", "laughter": "laugh", "laughing": "laugh",
    "chortle": "chuckle", "cackle": "laugh", "guffaw": "laugh", "snicker": "chuckle", "titter": "giggle",
    "frowning": "frown", "scowling": "scowl", "lour": "scowl",
    "grimacing": "grimace", "wincing": "wince", "flinch": "wince", "cringing": "cringe", "pouting": "pout",
    "pouty": "pout", "sulky": "sulk", "sulking": "sulk", "sneering": "sneer", "snarling": "snarl",
    "growl": "snarl", "gasping": "gasp", "yawning": "yawn", "gawp": "gawk", "gawking": "gawk",
    "winking": "wink", "blinking": "blink", "squinting": "squint", "whistling": "whistle",
    "crying": "cry", "sob": "cry", "sobbing": "cry", "weep": "cry", "weeping": "cry", "tearful": "sad",
    "tears": "cry", "pensive": "think", "thoughtful": "think", "thinking": "think", "ponder": "think",
    "talk": "speak", "talking": "speak", "speaking": "speak", "mid": "speak", "yell": "shout", "shouting": "shout",
    "yelling": "shout", "screaming": "scream", "shriek": "scream", "serious": "stern", "severe": "stern",
    "menacing": "glare", "intimidating": "glare", "flirty": "flirt", "flirtatious": "flirt", "seductive": "flirt",
    "sultry": "flirt", "coy": "embarrass", "bashful": "embarrass", "sarcastic": "smirk", "wry": "smirk",
    "dumbfounded": "surprise", "flabbergasted": "surprise", "speechless": "surprise", "stunned": "surprise",
    "befuddled": "confuse", "awed": "awe", "awestruck": "awe", "wonder": "awe", "unamused": "contempt",
    "brooding": "glower", "broody": "glower", "dour": "glower", "darken": "glower", "smooch": "kiss",
    "kissy": "kiss", "pained": "pain", "sleeping": "asleep", "smiley": "smile",
    "grumpy": "frown", "frowny": "frown", "sneery": "sneer", "sullen": "sulk", "moody": "sulk", "glum": "sad",
    "upset": "sad", "cheesy": "grin",
    "joyful": "joy", "joyous": "joy", "cheerful": "happy", "glad": "happy", "pleased": "happy",
    "happiness": "happy", "elated": "excite", "ecstatic": "excite", "thrilled": "excite",
    "excitement": "excite", "excited": "excite", "delighted": "delight", "amused": "amuse",
    "amusement": "amuse", "sadness": "sad", "unhappy": "sad", "sorrow": "sad", "sorrowful": "sad",
    "mournful": "sad", "dejected": "sad", "melancholy": "sad", "gloomy": "sad", "crestfallen": "sad",
    "miserable": "sad", "heartbroken": "grief", "grieving": "grief", "anguish": "grief",
    "despair": "grief", "surprised": "surprise", "astonished": "surprise", "astonishment": "surprise",
    "amazed": "surprise", "amazement": "surprise", "startled": "surprise", "shocked": "surprise",
    "shock": "surprise", "afraid": "fear", "scared": "fear", "frightened": "fear",
    "fearful": "fear", "terrified": "fear", "terror": "fear", "horrified": "fear", "horror": "fear",
    "panic": "fear", "panicked": "fear", "alarmed": "fear", "angry": "anger", "furious": "anger",
    "fury": "anger", "rage": "anger", "enraged": "anger", "irritated": "anger", "annoyed": "anger",
    "irate": "anger", "livid": "anger", "mad": "anger", "disgusted": "disgust",
    "revolted": "disgust", "repulsed": "disgust", "grossed": "disgust", "revulsion": "disgust",
    "contemptuous": "contempt", "disdain": "contempt", "disdainful": "contempt", "scornful": "contempt",
    "scorn": "contempt", "smug": "contempt", "dismissive": "contempt", "worried": "worry",
    "anxious": "worry", "anxiety": "worry", "nervous": "worry", "uneasy": "worry", "concerned": "worry",
    "apprehensive": "worry", "confused": "confuse", "confusion": "confuse",
    "puzzled": "confuse", "perplexed": "confuse", "quizzical": "confuse", "bewildered": "confuse",
    "skeptical": "doubt", "sceptical": "doubt", "doubtful": "doubt", "suspicious": "doubt",
    "suspicion": "doubt", "tired": "tired", "exhausted": "tired", "weary": "tired", "sleepy": "tired",
    "drowsy": "tired", "fatigued": "tired", "focused": "focus", "concentrating": "focus",
    "concentration": "focus", "intent": "focus", "ashamed": "shame", "guilty": "shame", "guilt": "shame",
    "painful": "pain", "hurt": "pain", "agony": "pain", "relieved": "relief", "curiosity": "curious",
    "intrigued": "curious", "interested": "curious", "pride": "proud", "bored": "bore", "boredom": "bore",
    "embarrassed": "embarrass", "embarrassment": "embarrass", "sheepish": "embarrass",
    "determined": "determine", "determination": "determine", "resolute": "determine",
    "contented": "content", "serene": "content", "peaceful": "content",
}

# Adjectives that pick a smile variant ("a polite smile", "a toothy grin", "a wry smile").
SMILE_STYLES: dict[str, tuple[dict[str, float], str]] = {
    "tightlipped": ({"MouthSmile": 0.4, "MouthPress": 0.35, "MouthDimple": 0.1}, "tight-lipped smile (AU12+24)"),
    "polite": ({"MouthSmile": 0.4, "MouthPress": 0.2, "MouthDimple": 0.1}, "polite closed smile (AU12+24)"),
    "tight": ({"MouthSmile": 0.4, "MouthPress": 0.3, "MouthDimple": 0.1}, "tight smile (AU12+24)"),
    "closed": ({"MouthSmile": 0.45, "MouthPress": 0.15, "MouthClose": 0.1}, "closed-mouth smile (AU12)"),
    "forced": ({"MouthSmile": 0.45, "MouthStretch": 0.2, "MouthPress": 0.15}, "forced smile (AU12+20, no AU6)"),
    "fake": ({"MouthSmile": 0.45, "MouthStretch": 0.2, "MouthPress": 0.15}, "fake smile (AU12+20, no AU6)"),
    "strain": ({"MouthSmile": 0.4, "MouthStretch": 0.25, "MouthPress": 0.2}, "strained smile (AU12+20)"),
    "nervous": ({"MouthSmile": 0.35, "MouthStretch": 0.2, "MouthPress": 0.2, "BrowInnerUp": 0.25},
                "nervous smile (AU1+12+20)"),
    "awkward": ({"MouthSmile": 0.35, "MouthStretch": 0.2, "MouthPress": 0.2}, "awkward smile (AU12+20)"),
    "toothy": ({"MouthSmile": 0.75, "CheekSquint": 0.35, "MouthUpperUp": 0.3, "MouthLowerDown": 0.25,
                "JawOpen": 0.12}, "toothy smile (AU6+10+12+16)"),
    "openmouthed": ({"MouthSmile": 0.7, "CheekSquint": 0.35, "JawOpen": 0.35, "MouthLowerDown": 0.2},
                    "open-mouthed smile (AU6+12+26)"),
    "sad": ({"MouthSmile": 0.35, "BrowInnerUp": 0.35, "MouthPress": 0.1}, "sad smile (AU1+12)"),
    "wistful": ({"MouthSmile": 0.3, "BrowInnerUp": 0.3}, "wistful smile (AU1+12)"),
    "bittersweet": ({"MouthSmile": 0.35, "BrowInnerUp": 0.35}, "bittersweet smile (AU1+12)"),
    "rueful": ({"MouthSmile": 0.3, "BrowInnerUp": 0.3, "MouthPress": 0.15}, "rueful smile (AU1+12+24)"),
    "wry": ({"MouthSmile@": 0.45, "MouthDimple@": 0.25}, "wry smile (unilateral AU12+14)"),
    "crooked": ({"MouthSmile@": 0.5, "MouthDimple@": 0.2}, "crooked smile (unilateral AU12)"),
    "lopsided": ({"MouthSmile@": 0.5, "MouthDimple@": 0.2}, "lopsided smile (unilateral AU12)"),
    "half": ({"MouthSmile@": 0.45, "MouthDimple@": 0.15}, "half smile (unilateral AU12)"),
    "sly": ({"MouthSmile@": 0.45, "MouthDimple@": 0.25, "EyeSquint": 0.15}, "sly smile (unilateral AU12+14)"),
    "knowing": ({"MouthSmile@": 0.4, "MouthDimple@": 0.25}, "knowing smile (unilateral AU12+14)"),
    "sardonic": ({"MouthSmile@": 0.4, "MouthDimple@": 0.3}, "sardonic smile (unilateral AU12+14)"),
    "warm": ({"MouthSmile": 0.6, "CheekSquint": 0.45, "EyeSquint": 0.2}, "warm Duchenne smile (AU6+12)"),
    "genuine": ({"MouthSmile": 0.6, "CheekSquint": 0.5, "EyeSquint": 0.25}, "Duchenne smile (AU6+12)"),
    "duchenne": ({"MouthSmile": 0.65, "CheekSquint": 0.55, "EyeSquint": 0.25}, "Duchenne smile (AU6+12)"),
    "heartfelt": ({"MouthSmile": 0.6, "CheekSquint": 0.5, "EyeSquint": 0.2}, "Duchenne smile (AU6+12)"),
    "shy": ({"MouthSmile": 0.4, "MouthPress": 0.15, "GAZE_DOWN": 0.3, "HEAD_PITCH": -0.1}, "shy smile (AU12+64)"),
    "sheepish": ({"MouthSmile": 0.4, "MouthPress": 0.15, "GAZE_DOWN": 0.3, "HEAD_PITCH": -0.1},
                 "sheepish smile (AU12+64)"),
    "broad": ({"MouthSmile": 0.8, "CheekSquint": 0.45, "JawOpen": 0.12, "MouthStretch": 0.1},
              "broad smile (AU6+12)"),
    "wide": ({"MouthSmile": 0.8, "CheekSquint": 0.45, "JawOpen": 0.15, "MouthStretch": 0.15},
             "wide smile (AU6+12)"),
    "big": ({"MouthSmile": 0.8, "CheekSquint": 0.45, "JawOpen": 0.15}, "big smile (AU6+12)"),
}

# --- (region, motion) rules ------------------------------------------------------------------

# Each rule: (bundle at the plain level, rule name with its FACS action unit).
# "@" after a base = one-sided by default; GAZE_* / HEAD_* are signed pose pseudo-channels;
# "LATERAL:Jaw" etc. take their side from a left/right direction.
Rule = tuple[dict[str, float], str]
_BROW_UP: Rule = ({"BrowInnerUp": 0.55, "BrowOuterUp": 0.55}, "brow raise (AU1+2)")
_BROW_DOWN: Rule = ({"BrowDown": 0.55}, "brow lowerer (AU4)")
_SQUINT: Rule = ({"EyeSquint": 0.55, "CheekSquint": 0.1}, "lid tightener (AU7)")
_WIDE: Rule = ({"EyeWide": 0.6}, "upper lid raiser (AU5)")
_CLOSE_EYES: Rule = ({"EyeBlink": 1.0}, "eye closure (AU43/45)")
_SMILE: Rule = ({"MouthSmile": 0.55}, "lip corner puller (AU12)")
_FROWN: Rule = ({"MouthFrown": 0.55}, "lip corner depressor (AU15)")
_STRETCH: Rule = ({"MouthStretch": 0.55}, "lip stretcher (AU20)")
_PRESS: Rule = ({"MouthPress": 0.55, "MouthClose": 0.2}, "lip presser (AU24)")
_PUCKER: Rule = ({"MouthPucker": 0.6}, "lip pucker (AU18)")
_FUNNEL: Rule = ({"MouthFunnel": 0.6, "JawOpen": 0.1}, "lip funneler (AU22)")
_ROLL_IN: Rule = ({"MouthRollLower": 0.5, "MouthRollUpper": 0.5}, "lip suck (AU28)")
_JAW_OPEN: Rule = ({"JawOpen": 0.55}, "jaw drop (AU26)")
_PART: Rule = ({"JawOpen": 0.18, "MouthLowerDown": 0.12, "MouthUpperUp": 0.05}, "lips part (AU25)")
_LIPS_CLOSED: Rule = ({"MouthClose": 0.45, "MouthPress": 0.1}, "lips closed (mouthClose)")
_SHRUG: Rule = ({"MouthShrugLower": 0.5, "MouthShrugUpper": 0.4}, "mouth shrug (AU17)")
_CHIN_UP: Rule = ({"MouthShrugLower": 0.55}, "chin raiser (AU17)")
_UPPER_UP: Rule = ({"MouthUpperUp": 0.55, "NoseSneer": 0.1}, "upper lip raiser (AU10)")
_LOWER_DOWN: Rule = ({"MouthLowerDown": 0.55}, "lower lip depressor (AU16)")
_SNEER: Rule = ({"NoseSneer": 0.55}, "nose wrinkler (AU9)")
_CHEEK_UP: Rule = ({"CheekSquint": 0.55}, "cheek raiser (AU6)")
_PUFF: Rule = ({"CheekPuff": 0.6}, "cheek puff (AU34)")
_TONGUE: Rule = ({"TongueOut": 0.6, "JawOpen": 0.25}, "tongue show (AU19)")
_JAW_FWD: Rule = ({"JawForward": 0.55}, "jaw thrust (AU29)")
_HEAD_UP: Rule = ({"HEAD_PITCH": 0.3}, "head up (AU53)")
_HEAD_DOWN: Rule = ({"HEAD_PITCH": -0.3}, "head down (AU54)")
_GAZE_UP: Rule = ({"GAZE_UP": 0.55}, "eyes up (AU63)")
_GAZE_DOWN: Rule = ({"GAZE_DOWN": 0.55}, "eyes down (AU64)")
_CLENCH: Rule = ({"MouthPress": 0.45, "MouthClose": 0.15, "JawForward": 0.05}, "jaw clencher (AU31)")

RULES: dict[tuple[str, str], Rule] = {
    # brows
    ("brow", "up"): _BROW_UP, ("brow", "arch"): ({"BrowOuterUp": 0.6, "BrowInnerUp": 0.3}, "brow arch (AU2+1)"),
    ("brow", "surprise"): _BROW_UP, ("brow", "down"): _BROW_DOWN, ("brow", "together"): _BROW_DOWN,
    ("brow", "frown"): _BROW_DOWN, ("brow", "angry"): ({"BrowDown": 0.65}, "angry brows (AU4)"),
    ("brow", "tense"): ({"BrowDown": 0.35}, "tense brows (AU4)"), ("brow", "crinkle"): _BROW_DOWN,
    ("brow", "narrow"): ({"BrowDown": 0.4}, "brow lowerer (AU4)"), ("brow", "in"): _BROW_DOWN,
    ("brow", "worry"): ({"BrowInnerUp": 0.55, "BrowDown": 0.1}, "worried brows (AU1+4)"),
    ("brow", "sad"): ({"BrowInnerUp": 0.5, "BrowDown": 0.15}, "sad brows (AU1+4)"),
    ("brow", "droop"): ({"BrowDown": 0.3, "BrowInnerUp": 0.2}, "drooping brows (AU4)"),
    ("brow", "fear"): ({"BrowInnerUp": 0.6, "BrowOuterUp": 0.4, "BrowDown": 0.2}, "fear brows (AU1+2+4)"),
    ("brow", "sneer"): ({"BrowDown": 0.4}, "brow lowerer (AU4)"),
    ("brow", "quirk"): ({"BrowOuterUp@": 0.6, "BrowInnerUp": 0.2}, "quirked brow (unilateral AU2)"),
    ("brow", "pucker"): _BROW_DOWN,
    ("brow", "tilt"): ({"BrowOuterUp@": 0.6, "BrowInnerUp": 0.2}, "cocked brow (unilateral AU2)"),
    ("inner_brow", "up"): ({"BrowInnerUp": 0.55}, "inner brow raiser (AU1)"),
    ("inner_brow", "worry"): ({"BrowInnerUp": 0.55}, "inner brow raiser (AU1)"),
    ("inner_brow", "sad"): ({"BrowInnerUp": 0.55}, "inner brow raiser (AU1)"),
    ("inner_brow", "down"): _BROW_DOWN, ("inner_brow", "together"): _BROW_DOWN,
    ("inner_brow", "frown"): _BROW_DOWN, ("inner_brow", "crinkle"): _BROW_DOWN,
    ("inner_brow", "tense"): _BROW_DOWN, ("inner_brow", "in"): _BROW_DOWN,
    ("outer_brow", "up"): ({"BrowOuterUp": 0.55}, "outer brow raiser (AU2)"),
    ("outer_brow", "arch"): ({"BrowOuterUp": 0.6}, "outer brow raiser (AU2)"),
    ("outer_brow", "down"): ({"BrowDown": 0.4}, "outer brow lowered (AU4)"),
    ("outer_brow", "droop"): ({"BrowDown": 0.35}, "outer brow lowered (AU4)"),
    ("forehead", "up"): _BROW_UP, ("forehead", "surprise"): _BROW_UP,
    ("forehead", "crinkle"): ({"BrowInnerUp": 0.45, "BrowOuterUp": 0.4}, "forehead wrinkles (AU1+2)"),
    ("forehead", "together"): ({"BrowDown": 0.45, "BrowInnerUp": 0.2}, "furrowed forehead (AU4+1)"),
    ("forehead", "frown"): _BROW_DOWN, ("forehead", "tense"): ({"BrowDown": 0.35}, "tense forehead (AU4)"),
    ("forehead", "worry"): ({"BrowInnerUp": 0.55, "BrowDown": 0.1}, "worried forehead (AU1+4)"),
    # eyes and lids
    ("eye", "close"): _CLOSE_EYES, ("eye", "wink"): ({"EyeBlink@": 1.0}, "wink (AU46)"),
    ("eye", "squeezeshut"): ({"EyeBlink": 1.0, "EyeSquint": 0.6, "CheekSquint": 0.3}, "eyes squeezed shut (AU6+7+43)"),
    ("eye", "squeeze"): ({"EyeSquint": 0.6, "CheekSquint": 0.35, "EyeBlink": 0.4}, "eyes squeezed (AU6+7)"),
    ("lid", "squeezeshut"): _CLOSE_EYES,
    ("eye", "narrow"): _SQUINT, ("eye", "tense"): ({"EyeSquint": 0.4}, "lid tightener (AU7)"),
    ("eye", "together"): _SQUINT, ("eye", "crinkle"): ({"EyeSquint": 0.4, "CheekSquint": 0.4}, "crinkled eyes (AU6+7)"),
    ("eye", "smile"): ({"CheekSquint": 0.5, "EyeSquint": 0.35}, "smiling eyes (AU6)"),
    ("eye", "widen"): _WIDE, ("eye", "flare"): _WIDE, ("eye", "puff"): _WIDE, ("eye", "funnel"): _WIDE,
    ("eye", "wideopen"): ({"EyeWide": 0.8}, "eyes wide open (AU5)"),
    ("eye", "open"): ({"EyeBlink": 0.0, "EyeWide": 0.1}, "eyes open (blink released)"),
    ("eye", "surprise"): _WIDE, ("eye", "fear"): ({"EyeWide": 0.65}, "fearful eyes (AU5)"),
    ("eye", "stare"): ({"EyeWide": 0.3}, "stare (AU5)"),
    ("eye", "droop"): ({"EyeBlink": 0.5}, "drooping lids (AU41/43)"),
    ("eye", "angry"): ({"EyeSquint": 0.35, "EyeWide": 0.15}, "angry eyes (AU5+7)"),
    ("eye", "sad"): ({"BrowInnerUp": 0.4, "EyeBlink": 0.15, "GAZE_DOWN": 0.2}, "sad eyes (AU1+64)"),
    ("eye", "worry"): ({"BrowInnerUp": 0.45, "EyeWide": 0.1}, "worried eyes (AU1)"),
    ("lid", "close"): _CLOSE_EYES, ("lid", "down"): ({"EyeBlink": 0.5}, "lid droop (AU41)"),
    ("lid", "droop"): ({"EyeBlink": 0.5}, "lid droop (AU41)"), ("lid", "up"): _WIDE, ("lid", "open"): _WIDE,
    ("lid", "widen"): _WIDE, ("lid", "wideopen"): ({"EyeWide": 0.8}, "upper lid raiser (AU5)"),
    ("lid", "narrow"): _SQUINT, ("lid", "tense"): _SQUINT, ("lid", "squeeze"): _CLOSE_EYES,
    ("lid", "flutter"): ({"EyeBlink": 0.4}, "fluttering lids (AU45)"),
    ("eye", "flutter"): ({"EyeBlink": 0.4}, "fluttering lids (AU45)"),
    ("upper_lid", "up"): _WIDE, ("upper_lid", "open"): _WIDE, ("upper_lid", "widen"): _WIDE,
    ("upper_lid", "down"): ({"EyeBlink": 0.5}, "upper lid droop (AU41)"),
    ("upper_lid", "droop"): ({"EyeBlink": 0.5}, "upper lid droop (AU41)"), ("upper_lid", "close"): _CLOSE_EYES,
    ("upper_lid", "narrow"): _SQUINT, ("upper_lid", "tense"): _SQUINT,
    ("lower_lid", "up"): _SQUINT, ("lower_lid", "tense"): _SQUINT, ("lower_lid", "narrow"): _SQUINT,
    ("lower_lid", "together"): _SQUINT, ("lower_lid", "crinkle"): _SQUINT,
    ("lower_lid", "down"): ({"EyeWide": 0.25}, "lower lid lowered"),
    ("eyecorner", "crinkle"): ({"CheekSquint": 0.5, "EyeSquint": 0.35}, "crow's feet (AU6)"),
    ("eyecorner", "together"): ({"CheekSquint": 0.5, "EyeSquint": 0.35}, "crow's feet (AU6)"),
    ("eyecorner", "tense"): ({"CheekSquint": 0.4, "EyeSquint": 0.4}, "crow's feet (AU6+7)"),
    ("eyecorner", "narrow"): ({"CheekSquint": 0.4, "EyeSquint": 0.45}, "crow's feet (AU6+7)"),
    ("eyecorner", "smile"): ({"CheekSquint": 0.5, "EyeSquint": 0.35}, "crow's feet (AU6)"),
    ("eyecorner", "show"): ({"CheekSquint": 0.5, "EyeSquint": 0.3}, "crow's feet (AU6)"),
    # gaze (direction pseudo-rules; pose.py fills the side)
    ("eye", "up"): _GAZE_UP, ("eye", "down"): _GAZE_DOWN, ("gaze", "up"): _GAZE_UP, ("gaze", "down"): _GAZE_DOWN,
    ("gaze", "droop"): _GAZE_DOWN, ("eye", "eyeroll"): ({"GAZE_UP": 0.85, "EyeBlink": 0.1}, "eye roll (AU63)"),
    ("gaze", "eyeroll"): ({"GAZE_UP": 0.85, "EyeBlink": 0.1}, "eye roll (AU63)"),
    ("eye", "crosseye"): ({"EyeLookIn": 0.7}, "crossed eyes (AU65-66)"),
    ("gaze", "crosseye"): ({"EyeLookIn": 0.7}, "crossed eyes (AU65-66)"),
    # cheeks
    ("cheek", "up"): _CHEEK_UP, ("cheek", "together"): _CHEEK_UP, ("cheek", "narrow"): _CHEEK_UP,
    ("cheek", "crinkle"): _CHEEK_UP, ("cheek", "smile"): _CHEEK_UP,
    ("cheek", "tense"): ({"CheekSquint": 0.35}, "cheek raiser (AU6)"),
    ("cheek", "puff"): _PUFF, ("cheek", "out"): _PUFF, ("cheek", "widen"): _PUFF,
    ("cheek", "dimple"): ({"MouthDimple": 0.5}, "dimpler (AU14)"),
    ("cheek", "in"): ({"MouthPucker": 0.35, "MouthFunnel": 0.2}, "cheek suck (AU35)"),
    # nose
    ("nose", "sneer"): _SNEER, ("nose", "crinkle"): _SNEER, ("nose", "together"): _SNEER, ("nose", "up"): _SNEER,
    ("nose", "curl"): _SNEER, ("nose", "tense"): ({"NoseSneer": 0.35}, "nose wrinkler (AU9)"),
    ("nose", "flare"): ({"NoseSneer": 0.35}, "nostril dilator (AU38, closest ARKit: noseSneer)"),
    ("nose", "widen"): ({"NoseSneer": 0.35}, "nostril dilator (AU38, closest ARKit: noseSneer)"),
    ("nose", "open"): ({"NoseSneer": 0.3}, "nostril dilator (AU38, closest ARKit: noseSneer)"),
    ("nose", "quirk"): ({"NoseSneer": 0.4}, "nose twitch (AU9)"),
    ("nose", "snarl"): ({"NoseSneer": 0.6, "MouthUpperUp": 0.3}, "snarl (AU9+10)"),
    # mouth as a whole
    ("mouth", "open"): _JAW_OPEN, ("mouth", "wideopen"): ({"JawOpen": 0.85}, "jaw drop (AU27)"),
    ("mouth", "down"): _FROWN, ("mouth", "droop"): _FROWN, ("mouth", "frown"): _FROWN, ("mouth", "sad"): _FROWN,
    ("mouth", "up"): _SMILE, ("mouth", "smile"): _SMILE, ("mouth", "part"): _PART,
    ("mouth", "close"): ({"JawOpen": 0.0, "MouthClose": 0.1}, "mouth closed (jaw released)"), ("mouth", "press"): _PRESS,
    ("mouth", "tense"): ({"MouthStretch": 0.35, "MouthPress": 0.3}, "tense mouth (AU20+24)"),
    ("mouth", "pucker"): _PUCKER, ("mouth", "pout"): ({"MouthPucker": 0.5, "MouthShrugLower": 0.4}, "pout (AU17+18)"),
    ("mouth", "funnel"): _FUNNEL,
    ("mouth", "out"): ({"MouthPucker": 0.45, "MouthFunnel": 0.35}, "lips pushed out (AU18+22)"),
    ("mouth", "forward"): ({"MouthPucker": 0.45, "MouthFunnel": 0.35}, "lips pushed out (AU18+22)"),
    ("mouth", "rolltogether"): ({"MouthRollUpper": 0.45, "MouthRollLower": 0.45, "MouthPress": 0.3},
                                "lips rolled together (AU28+24)"),
    ("mouth", "in"): _ROLL_IN, ("mouth", "stretch"): _STRETCH, ("mouth", "widen"): _STRETCH,
    ("mouth", "back"): _STRETCH, ("mouth", "fear"): ({"MouthStretch": 0.55, "JawOpen": 0.2}, "fear mouth (AU20+26)"),
    ("mouth", "shrug"): _SHRUG, ("mouth", "tremble"): ({"MouthShrugLower": 0.35, "MouthFrown": 0.25, "MouthStretch": 0.1},
                                                       "trembling mouth (AU15+17)"),
    ("mouth", "lateral"): ({"LATERAL:Mouth": 0.55}, "mouth pulled sideways"),
    ("mouth", "twist"): ({"LATERAL:Mouth": 0.5}, "mouth twisted sideways"),
    ("mouth", "curl"): _SMILE,
    ("mouth", "sneer"): _UPPER_UP, ("mouth", "snarl"): ({"MouthUpperUp": 0.6, "NoseSneer": 0.4}, "snarl (AU9+10)"),
    ("mouth", "show"): ({"MouthUpperUp": 0.4, "MouthLowerDown": 0.35}, "teeth shown (AU10+16)"),
    ("mouth", "puff"): _PUFF, ("mouth", "clench"): _CLENCH,
    ("mouth", "dimple"): ({"MouthDimple": 0.55}, "dimpler (AU14)"),
    ("mouth", "together"): ({"MouthPress": 0.35, "MouthClose": 0.3}, "lips together (AU24)"),
    ("mouth", "surprise"): ({"JawOpen": 0.45, "MouthFunnel": 0.15}, "surprised mouth (AU26)"),
    ("mouth", "angry"): ({"MouthPress": 0.5}, "lip tightener (AU23)"),
    ("mouth", "crinkle"): ({"MouthShrugLower": 0.3, "MouthPucker": 0.2}, "crumpled mouth (AU17)"),
    # lips (both)
    ("lips", "close"): _LIPS_CLOSED,
    ("lips", "together"): ({"MouthClose": 0.4, "MouthPress": 0.25}, "lips together (AU24)"),
    ("lips", "press"): _PRESS, ("lips", "tense"): ({"MouthPress": 0.45, "MouthClose": 0.1}, "lip tightener (AU23)"),
    ("lips", "angry"): ({"MouthPress": 0.5}, "lip tightener (AU23)"),
    ("lips", "pucker"): _PUCKER, ("lips", "flare"): _FUNNEL, ("lips", "squeeze"): _PRESS,
    ("mouth", "squeeze"): _PRESS,
    ("lips", "pout"): ({"MouthPucker": 0.5, "MouthShrugLower": 0.35}, "pout (AU17+18)"),
    ("lips", "funnel"): _FUNNEL,
    ("lips", "out"): ({"MouthPucker": 0.45, "MouthFunnel": 0.35}, "lips pushed out (AU18+22)"),
    ("lips", "forward"): ({"MouthPucker": 0.45, "MouthFunnel": 0.35}, "lips pushed out (AU18+22)"),
    ("lips", "in"): _ROLL_IN, ("lips", "part"): _PART,
    ("lips", "open"): ({"JawOpen": 0.3, "MouthLowerDown": 0.15}, "lips open (AU25+26)"),
    ("lips", "wideopen"): ({"JawOpen": 0.7}, "jaw drop (AU26)"),
    ("lips", "stretch"): _STRETCH, ("lips", "widen"): _STRETCH, ("lips", "back"): _STRETCH,
    ("lips", "up"): _SMILE, ("lips", "smile"): _SMILE, ("lips", "down"): _FROWN, ("lips", "frown"): _FROWN,
    ("lips", "curl"): ({"MouthUpperUp": 0.45, "NoseSneer": 0.15}, "lip curl (AU10)"),
    ("lips", "sneer"): _UPPER_UP, ("lips", "snarl"): ({"MouthUpperUp": 0.6, "NoseSneer": 0.4}, "snarl (AU9+10)"),
    ("lips", "shrug"): _SHRUG,
    ("lips", "tremble"): ({"MouthShrugLower": 0.35, "MouthFrown": 0.25}, "trembling lips (AU15+17)"),
    ("lips", "lateral"): ({"LATERAL:Mouth": 0.55}, "lips pulled sideways"),
    ("lips", "twist"): ({"LATERAL:Mouth": 0.5}, "lips twisted sideways"),
    ("lips", "show"): ({"MouthUpperUp": 0.4, "MouthLowerDown": 0.35}, "teeth shown (AU10+16)"),
    ("lips", "crinkle"): ({"MouthPucker": 0.35, "MouthShrugLower": 0.2}, "puckered lips (AU18)"),
    ("lips", "dimple"): ({"MouthDimple": 0.55}, "dimpler (AU14)"), ("lips", "clench"): _PRESS,
    ("lips", "sad"): _FROWN, ("lips", "droop"): _FROWN, ("lips", "puff"): _PUFF,
    ("lip", "in"): ({"MouthRollLower": 0.55}, "lower lip sucked in (AU28)"),
    ("lips", "lick"): ({"TongueOut": 0.4, "JawOpen": 0.15}, "lip wipe (AU37)"),
    ("lip", "curl"): ({"MouthUpperUp": 0.45, "NoseSneer": 0.15}, "lip curl (AU10)"),
    ("lip", "tremble"): ({"MouthShrugLower": 0.4, "MouthFrown": 0.2}, "trembling lip (AU17)"),
    ("lip", "out"): ({"MouthShrugLower": 0.45, "MouthPucker": 0.2}, "lip pushed out (AU17)"),
    ("lip", "pout"): ({"MouthShrugLower": 0.45, "MouthPucker": 0.3}, "pouting lip (AU17+18)"),
    ("lip", "up"): ({"MouthUpperUp": 0.45}, "lip raised (AU10)"),
    ("lip", "sneer"): ({"MouthUpperUp@": 0.5, "NoseSneer@": 0.2}, "sneering lip (AU9+10)"),
    ("lip", "snarl"): ({"MouthUpperUp": 0.6, "NoseSneer": 0.4}, "snarl (AU9+10)"),
    ("lip", "down"): ({"MouthLowerDown": 0.45}, "lip pulled down (AU16)"),
    ("lip", "droop"): ({"MouthLowerDown": 0.4}, "lip pulled down (AU16)"),
    ("lip", "press"): _PRESS, ("lip", "tense"): ({"MouthPress": 0.4}, "lip tightener (AU23)"),
    ("mouth", "quirk"): ({"MouthSmile@": 0.4}, "mouth quirk (unilateral AU12)"),
    ("lips", "quirk"): ({"MouthSmile@": 0.4}, "mouth quirk (unilateral AU12)"),
    # lip corners
    ("corner", "quirk"): ({"MouthSmile@": 0.4}, "corner quirk (unilateral AU12)"),
    ("corner", "up"): _SMILE, ("corner", "smile"): _SMILE, ("corner", "curl"): _SMILE,
    ("corner", "down"): _FROWN, ("corner", "droop"): _FROWN, ("corner", "frown"): _FROWN, ("corner", "sad"): _FROWN,
    ("corner", "stretch"): _STRETCH, ("corner", "back"): _STRETCH, ("corner", "part"): _STRETCH,
    ("corner", "widen"): _STRETCH, ("corner", "lateral"): _STRETCH, ("corner", "fear"): _STRETCH,
    ("corner", "in"): ({"MouthDimple": 0.55}, "dimpler (AU14)"),
    ("corner", "together"): ({"MouthDimple": 0.5}, "dimpler (AU14)"),
    ("corner", "dimple"): ({"MouthDimple": 0.55}, "dimpler (AU14)"),
    ("corner", "tense"): ({"MouthDimple": 0.45, "MouthPress": 0.15}, "dimpler (AU14)"),
    ("corner", "press"): ({"MouthDimple": 0.5, "MouthPress": 0.25}, "corners pressed in (AU14+24)"),
    ("corner", "out"): _STRETCH,
    # upper lip
    ("upper_lip", "up"): _UPPER_UP, ("upper_lip", "curl"): _UPPER_UP, ("upper_lip", "sneer"): _UPPER_UP,
    ("upper_lip", "snarl"): ({"MouthUpperUp": 0.65, "NoseSneer": 0.35}, "snarl (AU9+10)"),
    ("upper_lip", "show"): _UPPER_UP, ("upper_lip", "crinkle"): _UPPER_UP,
    ("upper_lip", "quirk"): ({"MouthUpperUp": 0.4}, "upper lip twitch (AU10)"),
    ("upper_lip", "widen"): ({"MouthShrugUpper": 0.5}, "upper lip pushed out (mouthShrugUpper)"),
    ("lower_lip", "widen"): ({"MouthShrugLower": 0.5}, "lower lip pushed out (AU17)"),
    ("upper_lip", "in"): ({"MouthRollUpper": 0.55}, "upper lip rolled in (AU28)"),
    ("upper_lip", "out"): ({"MouthShrugUpper": 0.55}, "upper lip pushed out (mouthShrugUpper)"),
    ("upper_lip", "forward"): ({"MouthShrugUpper": 0.55}, "upper lip pushed out (mouthShrugUpper)"),
    ("upper_lip", "shrug"): ({"MouthShrugUpper": 0.55}, "upper lip shrug (mouthShrugUpper)"),
    ("upper_lip", "pout"): ({"MouthShrugUpper": 0.5, "MouthPucker": 0.2}, "upper lip pout (mouthShrugUpper)"),
    ("upper_lip", "together"): ({"MouthShrugUpper": 0.4}, "upper lip bunched (mouthShrugUpper)"),
    ("upper_lip", "down"): ({"MouthRollUpper": 0.35}, "upper lip lowered over the teeth (AU28)"),
    ("upper_lip", "press"): ({"MouthPress": 0.45}, "lip presser (AU24)"),
    ("upper_lip", "tense"): ({"MouthPress": 0.3, "MouthRollUpper": 0.15}, "lip tightener (AU23)"),
    ("upper_lip", "tremble"): ({"MouthShrugUpper": 0.35}, "trembling upper lip"),
    # lower lip
    ("lower_lip", "down"): _LOWER_DOWN, ("lower_lip", "droop"): _LOWER_DOWN, ("lower_lip", "show"): _LOWER_DOWN,
    ("lower_lip", "curl"): _LOWER_DOWN, ("lower_lip", "open"): _LOWER_DOWN,
    ("lower_lip", "in"): ({"MouthRollLower": 0.55}, "lower lip sucked in (AU28)"),
    ("lower_lip", "up"): _CHIN_UP,
    ("lower_lip", "out"): ({"MouthShrugLower": 0.5, "MouthPucker": 0.15}, "lower lip pushed out (AU17)"),
    ("lower_lip", "forward"): ({"MouthShrugLower": 0.5, "MouthPucker": 0.15}, "lower lip pushed out (AU17)"),
    ("lower_lip", "pout"): ({"MouthShrugLower": 0.5, "MouthPucker": 0.2}, "pouting lower lip (AU17)"),
    ("lower_lip", "shrug"): _CHIN_UP,
    ("lower_lip", "tremble"): ({"MouthShrugLower": 0.45, "MouthFrown": 0.2}, "trembling lower lip (AU17)"),
    ("lower_lip", "press"): ({"MouthPress": 0.45}, "lip presser (AU24)"),
    ("lower_lip", "tense"): ({"MouthShrugLower": 0.3, "MouthPress": 0.2}, "tense lower lip (AU17)"),
    # teeth
    ("teeth", "show"): ({"MouthUpperUp": 0.45, "MouthLowerDown": 0.4, "MouthStretch": 0.15}, "teeth bared (AU10+16)"),
    ("teeth", "clench"): ({"MouthStretch": 0.45, "MouthUpperUp": 0.25, "MouthLowerDown": 0.25, "MouthPress": 0.1},
                          "gritted teeth (AU10+16+20+31)"),
    ("teeth", "together"): ({"MouthStretch": 0.4, "MouthUpperUp": 0.2, "MouthLowerDown": 0.2}, "gritted teeth (AU20+31)"),
    ("teeth", "snarl"): ({"MouthUpperUp": 0.65, "NoseSneer": 0.4, "MouthLowerDown": 0.3}, "snarl (AU9+10+16)"),
    ("teeth", "part"): ({"JawOpen": 0.15, "MouthLowerDown": 0.1}, "teeth apart (AU25)"),
    ("teeth", "in"): ({"MouthRollLower": 0.55}, "lower lip bitten (AU32)"),
    ("upper_teeth", "show"): ({"MouthUpperUp": 0.55}, "upper teeth shown (AU10)"),
    ("lower_teeth", "show"): ({"MouthLowerDown": 0.55}, "lower teeth shown (AU16)"),
    # chin and jaw
    ("chin", "up"): _HEAD_UP, ("chin", "down"): _HEAD_DOWN, ("chin", "in"): _HEAD_DOWN, ("chin", "nod"): _HEAD_DOWN,
    ("chin", "forward"): _JAW_FWD, ("chin", "out"): _JAW_FWD,
    ("chin", "crinkle"): _CHIN_UP, ("chin", "together"): _CHIN_UP, ("chin", "pucker"): _CHIN_UP,
    ("chin", "tense"): _CHIN_UP, ("chin", "tremble"): _CHIN_UP, ("chin", "dimple"): _CHIN_UP,
    ("chin", "shrug"): _CHIN_UP, ("chin", "pout"): _CHIN_UP,
    ("chin", "lateral"): ({"HEAD_YAW@": 0.3}, "head turn (AU51/52)"),
    ("jaw", "open"): _JAW_OPEN, ("jaw", "down"): _JAW_OPEN, ("jaw", "droop"): _JAW_OPEN,
    ("jaw", "part"): ({"JawOpen": 0.25}, "jaw lowered (AU26)"),
    ("jaw", "wideopen"): ({"JawOpen": 0.9}, "jaw drop (AU27)"), ("jaw", "surprise"): _JAW_OPEN,
    ("jaw", "forward"): _JAW_FWD, ("jaw", "out"): _JAW_FWD,
    ("jaw", "up"): ({"JawForward": 0.25}, "jaw pushed up/forward (AU29)"),
    ("jaw", "lateral"): ({"LATERAL:Jaw": 0.55}, "jaw sideways (AU30)"),
    ("jaw", "twist"): ({"LATERAL:Jaw": 0.5}, "jaw sideways (AU30)"),
    ("jaw", "clench"): _CLENCH, ("jaw", "tense"): _CLENCH, ("jaw", "close"): ({"JawOpen": 0.0}, "jaw closed (released)"),
    ("jaw", "together"): _CLENCH, ("jaw", "angry"): _CLENCH, ("jaw", "press"): _CLENCH,
    # tongue
    ("tongue", "out"): _TONGUE, ("tongue", "show"): _TONGUE, ("tongue", "forward"): _TONGUE,
    ("tongue", "down"): _TONGUE, ("tongue", "droop"): _TONGUE, ("tongue", "lateral"): _TONGUE,
    ("tongue", "up"): ({"TongueOut": 0.4, "JawOpen": 0.2}, "tongue raised (AU19)"),
    ("tongue", "lick"): ({"TongueOut": 0.4, "JawOpen": 0.15}, "lip wipe (AU37)"),
    ("tongue", "open"): _TONGUE,
    # head
    ("head", "up"): _HEAD_UP, ("head", "back"): ({"HEAD_PITCH": 0.35}, "head tipped back (AU53)"),
    ("head", "down"): _HEAD_DOWN, ("head", "nod"): ({"HEAD_PITCH": -0.25}, "nod (AU54)"),
    ("head", "droop"): ({"HEAD_PITCH": -0.4}, "head hangs (AU54)"),
    ("head", "forward"): ({"HEAD_PITCH": -0.15}, "head forward (AU57)"),
    ("head", "tilt"): ({"HEAD_ROLL@": 0.3}, "head tilt (AU55/56)"),
    ("head", "turn"): ({"HEAD_YAW@": 0.35}, "head turn (AU51/52)"),
    ("head", "lateral"): ({"HEAD_YAW@": 0.35}, "head turn (AU51/52)"),
    ("head", "twist"): ({"HEAD_YAW@": 0.35}, "head turn (AU51/52)"),
    ("head", "shake"): ({"HEAD_YAW@": 0.15}, "head shake (AU51/52)"),
    ("head", "avert"): ({"HEAD_YAW@": 0.3, "HEAD_PITCH": -0.1}, "head averted (AU51/52+54)"),
    ("head", "sad"): ({"HEAD_PITCH": -0.25}, "head lowered (AU54)"),
    # whole face
    ("face", "crinkle"): ({"BrowDown": 0.5, "EyeSquint": 0.5, "NoseSneer": 0.4, "CheekSquint": 0.4, "MouthUpperUp": 0.2},
                          "scrunched face (AU4+6+7+9+10)"),
    ("face", "together"): ({"BrowDown": 0.5, "EyeSquint": 0.5, "NoseSneer": 0.4, "CheekSquint": 0.4},
                           "scrunched face (AU4+6+7+9)"),
    ("face", "tense"): ({"BrowDown": 0.35, "EyeSquint": 0.35, "MouthPress": 0.35}, "tense face (AU4+7+24)"),
    ("face", "down"): ({"BrowInnerUp": 0.4, "MouthFrown": 0.4, "GAZE_DOWN": 0.2}, "face falls (AU1+15)"),
    ("face", "droop"): ({"BrowInnerUp": 0.3, "MouthFrown": 0.35, "EyeBlink": 0.3}, "face sags (AU1+15+43)"),
    ("face", "up"): ({"HEAD_PITCH": 0.3}, "face tilted up (AU53)"),
    ("face", "lateral"): ({"HEAD_YAW@": 0.35}, "face turned (AU51/52)"),
    ("face", "turn"): ({"HEAD_YAW@": 0.35}, "face turned (AU51/52)"),
    ("face", "tilt"): ({"HEAD_ROLL@": 0.3}, "head tilt (AU55/56)"),
}

# FACS action-unit bundles ("AU12"), FACS names ("lip corner puller") and muscles ("zygomaticus major"): all
# derived from the one FACS table (data/facs.yaml, facs.py), so typed AUs, rules and emotion prototypes agree.
# (Plain phrases such as "jaw drop" or "lips part" are parsed as words, so explanations keep them.)


def _au_bundle(unit: ActionUnit) -> Rule:
    """One AU at its default level in the parser's bundle notation ("MouthSmile" = both sides, "@" = one side,
    GAZE_* / HEAD_* pseudo-channels, "LATERAL:Jaw" for a sideways AU)."""
    amount = facs.level_value(unit.default_level)
    if unit.gaze:
        return {f"GAZE_{unit.gaze.upper()}": amount}, unit.label
    bundle: dict[str, float] = {}
    for name, gain in unit.channels.items():
        if name in _HEAD_PSEUDO:
            key = _HEAD_PSEUDO[name]
        elif name.endswith("*"):
            key = f"LATERAL:{name[:-1]}" if unit.lateral else name[:-1] + ("@" if unit.unilateral else "")
        else:
            key = name
        bundle[key] = round(gain * amount, 4)
    return bundle, unit.label


_HEAD_PSEUDO = {"HeadYaw": "HEAD_YAW", "HeadPitch": "HEAD_PITCH", "HeadRoll": "HEAD_ROLL"}
AU_BUNDLES: dict[int, Rule] = {n: _au_bundle(u) for n, u in facs.table().units.items()}
FACS_NAMES: dict[str, int] = dict(facs.table().names())
MUSCLES: dict[str, tuple[int, ...]] = dict(facs.table().muscles())

# Irregular and awkward forms -> lemma (regular -s/-ed/-ing/-er/-ly endings are stripped by ``lemma``).
IRREGULAR: dict[str, str] = {
    "drawn": "draw", "drew": "draw", "fell": "fall", "fallen": "fall", "rose": "rise", "risen": "rise",
    "shot": "shoot", "flew": "fly", "flown": "fly", "hung": "hang", "sank": "sink", "sunk": "sink",
    "swung": "swing", "stuck": "stick", "bitten": "bite", "ground": "ground",
    "went": "go", "gone": "gone", "blown": "blow", "blew": "blow", "came": "come", "brought": "bring",
    "knitted": "knit", "knitting": "knit",
    "set": "set", "shut": "shut", "split": "part", "spread": "spread", "cast": "cast", "thrust": "thrust",
    "upturned": "upturned", "downturned": "downturned", "downcast": "downcast", "lowered": "lower",
    "lowering": "lower", "lowers": "lower", "lidded": "lidded", "widened": "widen", "widening": "widen",
    "widens": "widen", "wider": "wide", "widest": "wide", "narrower": "narrow", "tighter": "tight",
    "higher": "high", "lower": "lower", "closer": "close", "bigger": "big", "smaller": "small",
    "eyes": "eyes", "lips": "lips", "brows": "brows", "cheeks": "cheeks", "nostrils": "nostrils",
    "corners": "corners", "teeth": "teeth", "lids": "lids", "always": "always", "bows": "bow",
    "press": "press", "presses": "press", "kisses": "kiss", "crosses": "cross", "squeezes": "squeeze",
    "dimples": "dimple", "dimpled": "dimple", "wrinkles": "wrinkle", "wrinkled": "wrinkle",
    "crinkles": "crinkle", "crinkled": "crinkle", "curled": "curl", "curls": "curl",
    "smiling": "smile", "smiled": "smile", "smiles": "smile", "closes": "close", "closing": "close",
    "raised": "raise", "raising": "raise", "raises": "raise", "frowned": "frown",
    "narrowed": "narrow", "narrowing": "narrow", "pursed": "purse", "pursing": "purse",
    "tensed": "tense", "tenses": "tense", "tensing": "tense", "squinted": "squint",
    "parted": "part", "parting": "part", "parts": "part", "flared": "flare", "flaring": "flare",
    "drooped": "droop", "drooping": "droop", "sagging": "sag", "sagged": "sag", "sags": "sag",
    "glancing": "glance", "glanced": "glance", "glances": "glance", "grimaced": "grimace",
    "puffed": "puff", "puffs": "puff", "cocked": "cock", "nodded": "nod", "nodding": "nod",
    "bared": "bare", "baring": "bare", "bares": "bare", "gritted": "grit", "gritting": "grit",
    "clenched": "clench", "clenching": "clench", "clenches": "clench", "jutted": "jut", "jutting": "jut",
    "rolled": "roll", "rolling": "roll", "rolls": "roll", "tucked": "tuck", "tucks": "tuck",
    "pulls": "pull", "pulling": "pull", "pulled": "pull", "hanging": "hang", "hangs": "hang",
    "opened": "open", "opening": "open", "opens": "open", "dropped": "drop", "dropping": "drop",
    "drops": "drop", "slid": "slide", "shifted": "shift", "tilted": "tilt", "tilting": "tilt",
    "tilts": "tilt", "turned": "turn", "turning": "turn", "turns": "turn",
    "lifted": "lift", "lifting": "lift", "lifts": "lift", "arched": "arch", "arching": "arch", "arches": "arch",
    "furrowed": "furrow", "furrowing": "furrow", "furrows": "furrow", "knits": "knit",
    "scrunched": "scrunch", "scrunching": "scrunch", "pinched": "pinch", "pinches": "pinch",
    "stretched": "stretch", "stretches": "stretch", "stretching": "stretch", "pressed": "press",
    "pressing": "press", "squeezed": "squeeze", "squeezing": "squeeze", "pouted": "pout",
    "puckered": "pucker", "puckering": "pucker", "puckers": "pucker", "funneled": "funnel",
    "funnelled": "funnel", "funnelling": "funnel", "funneling": "funnel", "rounded": "round",
    "rounding": "round", "rounds": "round", "sneered": "sneer", "snarled": "snarl", "winked": "wink",
    "blinked": "blink", "squinting": "squint", "sucked": "suck", "sucks": "suck", "relaxed": "relax",
    "relaxes": "relax", "relaxing": "relax", "released": "release", "releases": "release",
    "releasing": "release", "faded": "fade", "fades": "fade", "fading": "fade", "eased": "ease",
    "eases": "ease", "easing": "ease", "softened": "soften", "softens": "soften", "softening": "soften",
    "stops": "stop", "stopped": "stop", "stopping": "stop", "ceases": "cease", "ceased": "cease",
    "vanishes": "vanish", "vanished": "vanish", "disappears": "disappear", "disappeared": "disappear",
    "loses": "lose", "lost": "lose", "dies": "die", "died": "die", "drains": "drain", "drained": "drain",
    "widely": "widely", "gaping": "gape", "gaped": "gape", "gapes": "gape", "quivering": "quiver",
    "trembling": "tremble", "trembled": "tremble", "trembles": "tremble", "quivers": "quiver",
    "bulging": "bulge", "bulged": "bulge", "bulges": "bulge", "popped": "pop", "popping": "pop",
    "shrugged": "shrug", "shrugs": "shrug", "licked": "lick", "licking": "lick", "licks": "lick",
    "creased": "crease", "creases": "crease", "creasing": "crease", "bunched": "bunch", "bunches": "bunch",
    "bunching": "bunch", "glared": "glare", "glaring": "glare", "glares": "glare", "stared": "stare",
    "staring": "stare", "stares": "stare", "peering": "peer", "peered": "peer", "peers": "peer",
    "looking": "look", "looked": "look", "looks": "look", "gazing": "gaze", "gazed": "gaze",
    "gazes": "gaze", "averted": "avert", "averting": "avert", "averts": "avert", "bowed": "bow",
    "bowing": "bow", "ducked": "duck", "ducks": "duck", "ducking": "duck", "leaned": "lean",
    "leaning": "lean", "leans": "lean", "leant": "lean", "tipped": "tip", "tips": "tip", "tipping": "tip",
    "inflated": "inflate", "inflates": "inflate", "ballooned": "balloon", "bloated": "bloat",
    "thinned": "thin", "thins": "thin", "flattened": "flatten", "clamped": "clamp", "clamps": "clamp",
    "compressed": "compress", "compresses": "compress", "sealed": "seal", "seals": "seal",
    "hidden": "hide", "hides": "hide", "hiding": "hide", "bites": "bite", "biting": "bite",
    "folded": "fold", "folds": "fold", "crumpled": "crumple", "crumples": "crumple",
    "puller": "puller", "raiser": "raiser", "lowerer": "lowerer", "wrinkler": "wrinkler",
    "tightener": "tightener", "depressor": "depressor", "dimpler": "dimpler", "presser": "presser",
    "stretcher": "stretcher", "funneler": "funneler", "puckerer": "puckerer", "clencher": "clencher",
    "puffer": "puffer", "rested": "rest", "resting": "rest", "settled": "settle", "settles": "settle",
    "smoothed": "smooth", "smooths": "smooth", "loosened": "loosen", "loosens": "loosen",
    "unfurrowed": "unfurrow", "neutralised": "neutral", "neutralized": "neutral", "scowled": "scowl",
    "beamed": "beam", "grinned": "grin", "grins": "grin", "smirked": "smirk", "smirks": "smirk",
    "pouts": "pout", "sulked": "sulk", "winces": "wince", "winced": "wince", "flinched": "flinch",
    "flinches": "flinch", "cringed": "cringe", "cringes": "cringe", "gasped": "gasp", "gasps": "gasp",
    "yawned": "yawn", "yawns": "yawn", "laughed": "laugh", "laughs": "laugh", "chuckled": "chuckle",
    "chuckles": "chuckle", "giggled": "giggle", "giggles": "giggle", "sighed": "sigh", "sighs": "sigh",
    "sighing": "sigh", "whistled": "whistle", "whistles": "whistle", "kissed": "kiss", "kissing": "kiss",
    "shushes": "shush", "shushing": "shush", "exposed": "expose", "exposing": "expose", "showing": "show",
    "shows": "show", "shown": "show", "showed": "show", "revealed": "reveal", "reveals": "reveal",
    "revealing": "reveal", "flashes": "flash", "flashed": "flash", "flashing": "flash",
}


def lemma(word: str, known: frozenset[str] | set[str]) -> str:
    """Base form of ``word`` if it is a known word or a regular inflection of one, else the word.

    Strips -s/-es/-ies, -ed/-ied, -ing, -er, -ly with the usual e-dropping and consonant doubling
    ("lifted" -> "lift", "raising" -> "raise", "knitted" -> "knit", "slightly" -> "slight").
    """
    w = IRREGULAR.get(word, word)
    if w in known:
        return w
    for suffix, repl in _SUFFIXES:
        if w.endswith(suffix) and len(w) - len(suffix) >= 2:
            stem = w[: -len(suffix)] + repl
            if stem in known:
                return stem
            if repl == "" and len(stem) >= 3 and stem[-1] == stem[-2] and stem[:-1] in known:
                return stem[:-1]  # doubled consonant: "nodded" -> "nod"
            if repl == "" and stem + "e" in known:
                return stem + "e"  # dropped e: "raising" -> "raise"
    return w


_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("ies", "y"), ("ied", "y"), ("ily", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", ""),
    ("ly", ""), ("er", ""), ("ness", ""), ("ment", ""), ("ion", ""), ("ion", "e"),
)
