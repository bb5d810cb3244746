"""The emotion model: emotion words -> a structured reading -> a 61-channel prior.

``read_emotion`` parses what people write ("slightly annoyed", "anxiety concealed by a
restrained smile", "shock turning into relief") into parts with a role, an intensity
and a phase. ``emotion_prior`` turns a reading into ARKit values plus the
``Contribution``s that explain them; the pose engine uses it to fill regions a
keyframe description leaves unsaid, and the planner describes it in words.

Prototypes are written in FACS notation and mapped to ARKit through the public
FACS <-> ARKit table (FORMATS.md §1), the one table in ``data/facs.yaml`` (``facs.py``). Intensity letters
follow FACS on its calibrated scale: A trace, B slight, C marked, D severe, E maximum; an ``L``/``R``
prefix makes an AU unilateral (subject's own side; one-sided expressions such as contempt use
the left, the same default side as the pose engine's unsided "smirk"). Sources:
  * basic emotions: EMFACS prototypes as commonly cited (happiness 6+12, sadness 1+4+15,
    surprise 1+2+5+26, fear 1+2+4+5+7+20+26, anger 4+5+7+23, disgust 9+15+16 (+10, the
    usual variant), contempt unilateral 12+14);
  * compounds: Du, Tao & Martinez (2014), "Compound facial expressions of emotion", PNAS;
  * embarrassment: Keltner (1995); pride: Tracy & Robins (2004); pain: Prkachin (1992);
    the rest are common descriptions of those states, marked heuristic.
Masking follows Ekman's "reliable muscles": a concealed emotion leaks mainly in the
brows and eyes (AU1+4 for worry and fear) while the cover owns the mouth; a false smile
lacks AU6 (no cheek raise).
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from dataclasses import dataclass

import numpy as np

from ...channels import CHANNELS, HIGH, LOW, N_BLENDSHAPES, N_CHANNELS, region_of
from ...data import Contribution
from ...errors import InputError
from .facs import facs_vector

__all__ = [
    "PROTOTYPES",
    "ROLES",
    "TEMPO",
    "VALENCE",
    "EmotionPart",
    "EmotionReading",
    "emotion_prior",
    "facs_vector",
    "prototype_aus",
    "read_emotion",
]

ROLES = ("felt", "shown", "masked", "suppressed")
# label: (FACS prototype, valence -1/0/+1, tempo "fast"/"medium"/"slow").
_EMOTIONS: dict[str, tuple[str, int, str]] = {
    # EMFACS basic emotions
    "happiness": ("6C+12D", 1, "medium"),
    "sadness": ("1D+4B+15C+17B+54A+64B", -1, "slow"),
    "surprise": ("1D+2D+5C+26C", 0, "fast"),
    "fear": ("1D+2C+4C+5D+7B+20D+26B", -1, "fast"),
    "anger": ("4D+5B+7C+23D", -1, "medium"),
    "disgust": ("9D+10C+15B+16B+17A", -1, "fast"),
    "contempt": ("L12B+L14C", -1, "medium"),
    # Du, Tao & Martinez (2014) compounds
    "happily surprised": ("1C+2C+12D+25C", 1, "fast"),
    "happily disgusted": ("10C+12C+25B", 0, "medium"),
    "sadly fearful": ("1D+4C+20C+25B", -1, "medium"),
    "sadly angry": ("4D+15C+17B", -1, "medium"),
    "sadly surprised": ("1D+4B+25B+26B", -1, "fast"),
    "sadly disgusted": ("4C+10C+15A", -1, "medium"),
    "fearfully angry": ("4D+20C+25B", -1, "medium"),
    "fearfully surprised": ("1D+2D+5D+20C+25C", -1, "fast"),
    "fearfully disgusted": ("1C+4C+10C+20C+25B", -1, "fast"),
    "angrily surprised": ("4C+25B+26C", -1, "fast"),
    "angrily disgusted": ("4D+10C+17B", -1, "medium"),
    "disgustedly surprised": ("1C+2C+5C+10C", -1, "fast"),
    "appalled": ("4C+9C+10C", -1, "fast"),
    "hatred": ("4D+7C+10C", -1, "medium"),
    "awe": ("1C+2C+5C+25C+26A+53A", 1, "slow"),
    # common states (Keltner 1995; Tracy & Robins 2004; Prkachin 1992; others heuristic)
    "anxiety": ("1C+4B+7A+20B+24B+64A", -1, "medium"),
    "worry": ("1C+4C+15A+24A+64A", -1, "medium"),
    "relief": ("6A+12B+25A+43A+53A", 1, "slow"),
    "embarrassment": ("12B+14A+24B+51A+54B+64C", -1, "medium"),
    "shame": ("1A+4A+15A+17B+54C+64D", -1, "slow"),
    "guilt": ("1B+4B+15A+24B+54B+64C", -1, "slow"),
    "pride": ("6A+12C+24A+53C", 1, "medium"),
    "tenderness": ("1A+6B+12B+43A+56A", 1, "slow"),
    "amusement": ("6D+7A+12D+25C+26B+53A", 1, "fast"),
    "excitement": ("1B+2B+5B+6C+12D+25C", 1, "fast"),
    "contentment": ("6B+12C+43A", 1, "slow"),
    "gratitude": ("1B+6B+12C+53A", 1, "slow"),
    "hope": ("1C+2A+12B+53A+63B", 1, "slow"),
    "boredom": ("15A+43C+54A+55A+62B", -1, "slow"),
    "confusion": ("L2B+4C+7B+24A+56B", 0, "medium"),
    "concentration": ("4B+7C+17A+24B+64A", 0, "medium"),
    "determination": ("4C+7B+17B+24C+29A", 0, "medium"),
    "defiance": ("4B+17B+24B+53B", -1, "medium"),
    "pain": ("4C+6C+7D+9B+10B+20B+25A+43B", -1, "fast"),
    "exhaustion": ("1A+15A+25A+26A+43C+54B", -1, "slow"),
    "skepticism": ("L2C+R4B+7A+L14B", 0, "medium"),
    "suspicion": ("4B+7C+L14A+61B", -1, "medium"),
    "disbelief": ("1C+2C+5B+26B+L14A+56A", 0, "fast"),
    "curiosity": ("1B+2B+5A+25A+56B", 1, "medium"),
    "nostalgia": ("1B+12B+43A+56A+64B", 0, "slow"),
    "yearning": ("1C+12A+43A+63A", 0, "slow"),
    "bittersweet": ("1C+4A+6A+12C+15A+64A", 0, "slow"),
    "jealousy": ("4C+7C+L14A+24B+61B", -1, "medium"),
    "awkwardness": ("12B+L14A+20B+24A+61A+64A", -1, "medium"),
    "frustration": ("4C+7B+17C+24C", -1, "medium"),
    "disappointment": ("1B+4A+15C+17B+54A+64B", -1, "slow"),
    "despair": ("1D+4C+15D+17B+43B+54C+64C", -1, "slow"),
    "horror": ("1D+2D+4C+5E+9A+20D+26D", -1, "fast"),
    "shock": ("1D+2D+5E+26D", 0, "fast"),
    "dread": ("1C+4C+5A+20B+24B+64A", -1, "slow"),
    "disapproval": ("4C+7A+15A+24B", -1, "medium"),
    "sympathy": ("1C+4A+12A+56A", 0, "slow"),
    "resignation": ("1B+15B+17A+43B+54A+64B", -1, "slow"),
    "smugness": ("L12C+L14C+43A+53B", 1, "medium"),
    "sulking": ("15B+17C+18B+64A", -1, "slow"),
    "composure": ("17A+24B", 0, "slow"),
    "calm": ("12B+43A", 1, "slow"),  # a slight, relaxed smile: visible as a cover ("fury masquerading as calm")
    "neutral": ("", 0, "slow"),
}

VALENCE: dict[str, int] = {k: v[1] for k, v in _EMOTIONS.items()}
TEMPO: dict[str, str] = {k: v[2] for k, v in _EMOTIONS.items()}

# Vocabulary: label -> "word[:base intensity] ..." (default 0.7). Multi-word phrases use "_".
# Forms not listed (adverbs, -ness nouns, British spellings) are reached by _forms().
_VOCAB: dict[str, str] = {
    "happiness": "cheer:0.6 yay:0.75 hooray:0.8 hurray:0.8 woohoo:0.8 in_high_spirits:0.7 high_spirits:0.7 "
                 "blithe:0.55 jocund:0.7 rhapsodic:0.9 chirpy:0.6 perky:0.55 bubbly:0.65 beatific:0.7 "
                 "effervescent:0.75 pleased_as_punch:0.85 jumping_for_joy:0.95 happy_as_a_clam:0.8 "
                 "happy_as_larry:0.8 tears_of_joy:0.9 happy_tears:0.85 shriek_of_delight:0.9 ebullient:0.9 "
                 "jaunty:0.65 chuffed:0.7 glowing:0.75 goodnatured:0.5 walking_on_sunshine:0.85 "
                 "thrilled_to_bits:0.9 happy happiness joy:0.85 joyful:0.85 joyous:0.85 glad:0.55 cheerful:0.65 "
                 "cheery:0.65 delighted:0.85 delight:0.8 elated:0.95 elation:0.95 ecstatic:1 ecstasy:1 euphoric:1 "
                 "euphoria:1 overjoyed:1 jubilant:0.95 jubilation:0.95 gleeful:0.8 glee:0.8 blissful:0.8 bliss:0.8 "
                 "merry jolly buoyant:0.6 upbeat:0.6 radiant:0.85 beaming:0.9 beam:0.85 smile:0.6 smiling:0.6 "
                 "grin:0.8 grinning:0.8 over_the_moon:0.95 on_cloud_nine:0.95 lighthearted:0.6 friendly:0.5 "
                 "pleasant:0.45 positive:0.5 sunny:0.6 chipper:0.6 jovial:0.7 exultant:0.95 rapturous:1 rapture:1 "
                 "elatedly:0.95",
    "sadly angry": "betrayed:0.7",
    "sadness": "stung:0.5 cut_to_the_quick:0.75 abandoned:0.7 unwanted:0.65 unloved:0.65 worthless:0.7 "
               "insignificant:0.5 ignored:0.5 overlooked:0.45 neglected:0.55 redeyed:0.6 longfaced:0.55 "
               "long_faced:0.55 fragile:0.5 emotional:0.45 stricken:0.6 out_of_sorts:0.4 woebegone:0.75 "
               "lugubrious:0.6 heartsore:0.75 dismal:0.5 disconsolate:0.85 mopey:0.5 mopish:0.5 moping:0.5 mope:0.5 "
               "lachrymose:0.7 tearstained:0.75 weepy:0.7 heavy_heart:0.65 cut_up:0.7 torn_up:0.7 "
               "down_in_the_mouth:0.55 in_the_doldrums:0.5 doldrums:0.5 feeling_down:0.5 feeling_low:0.5 "
               "lowspirited:0.55 low_spirited:0.55 sick_at_heart:0.75 downbeat:0.5 bummed:0.5 bummed_out:0.55 "
               "alienated:0.55 empty:0.5 isolated:0.55 rejected:0.7 withdrawn:0.5 hollow:0.5 maudlin:0.6 "
               "gutted:0.85 heartsick:0.75 brokenhearted:0.9 joyless:0.5 in_bits:0.85 selfpity:0.6 tearyeyed:0.65 "
               "sad:0.65 sadness:0.65 sorrow:0.75 sorrowful:0.75 grief:0.85 grieving:0.85 grieve:0.85 "
               "griefstricken:0.95 grief_stricken:0.95 melancholy:0.5 melancholic:0.5 heartbroken:0.9 "
               "heartbreak:0.9 mournful:0.75 mourning:0.75 mourn:0.75 unhappy:0.55 downcast:0.55 dejected:0.65 "
               "despondent:0.75 gloomy:0.5 gloom:0.5 glum:0.45 blue:0.45 feeling_blue:0.5 the_blues:0.5 "
               "depressed:0.7 depression:0.7 miserable:0.8 misery:0.8 woeful:0.7 woe:0.7 forlorn:0.65 "
               "crestfallen:0.65 tearful:0.7 tears:0.75 teary:0.6 crying:0.85 cry:0.8 weeping:0.85 weep:0.85 "
               "sobbing:0.95 sob:0.95 lonely:0.55 loneliness:0.55 lonesome:0.55 heavyhearted:0.65 "
               "heavy_hearted:0.65 sombre:0.45 somber:0.45 bereaved:0.85 bereft:0.85 anguish:0.9 anguished:0.9 "
               "heartache:0.8 sorry:0.45 upset:0.6 hurt:0.6 wounded:0.6 morose:0.6 desolate:0.85 devastated:0.95 "
               "devastation:0.95 inconsolable:1 broken:0.8 choked_up:0.6 pensive:0.35 down_in_the_dumps:0.55 "
               "lament:0.7 doleful:0.65 dispirited:0.6 downhearted:0.6 low_spirits:0.55 teareyed:0.65 "
               "tear_eyed:0.65 wretched:0.8",
    "surprise": "wow:0.65 whoa:0.7 omg:0.75 jaw_dropped:0.85 jawdropped:0.85 bugeyed:0.75 bug_eyed:0.75 "
                "popeyed:0.75 agog:0.75 realization:0.5 realisation:0.5 epiphany:0.6 dumbstruck:0.85 "
                "openmouthed:0.7 slackjawed:0.8 thunderstricken:0.9 surprise surprised astonished:0.85 "
                "astonishment:0.85 amazed:0.8 amazement:0.8 astounded:0.9 stunned:0.85 startled:0.8 startle:0.8 "
                "taken_aback:0.6 flabbergasted:0.95 dumbfounded:0.85 gobsmacked:0.95 agape:0.85 wideeyed:0.7 "
                "wide_eyed:0.7 caught_off_guard:0.6 speechless:0.8 jaw_dropping:0.9 gasp:0.75 gasping:0.8 "
                "unexpected:0.55 blindsided:0.8 thunderstruck:0.95 dazed:0.6 bowled_over:0.85",
    "shock": "shock:0.9 shocked:0.9 stupefied:0.9 shellshocked:0.95 floored:0.9",
    "fear": "frantic:0.85 ashen:0.6 ashenfaced:0.65 pallid:0.5 yikes:0.55 eek:0.6 craven:0.6 cowed:0.55 quaking:0.8 "
            "quake:0.75 fainthearted:0.5 faint_hearted:0.5 terrorized:0.9 freaked_out:0.8 freaking_out:0.85 "
            "freaked:0.75 scared_witless:0.95 rooted_to_the_spot:0.8 frozen_in_fear:0.9 daunted:0.5 fearstruck:0.95 "
            "paralyzed:0.85 paralysed:0.85 timorous:0.4 panicking:1 scream:0.85 screaming:0.9 flinch:0.6 "
            "flinching:0.6 tremble:0.65 unnerved:0.6 shook:0.6 fear fearful afraid scared frightened:0.75 "
            "fright:0.75 terrified:0.95 terror:1 petrified:0.95 panic:1 panicked:1 panicky:0.85 alarmed:0.65 "
            "alarm:0.65 spooked:0.6 timid:0.35 intimidated:0.5 scared_stiff:0.9 threatened:0.6 creeped_out:0.5 "
            "scare:0.6 frightful:0.7 fearstricken:0.95 terrorstricken:1 cowering:0.8 trembling:0.65 shaken:0.5 "
            "shaky:0.5 nervy:0.55 hysterical:0.95 hysteria:0.95",
    "dread": "dread:0.75 dreading:0.75 dreadful:0.7 foreboding:0.6 apprehensive_dread:0.7",
    "horror": "horror:0.95 horrified:0.95 horrorstruck:1 aghast:0.9",
    "anger": "ruffled:0.35 nettled:0.45 ticked:0.5 hangry:0.55 touchy:0.4 prickly:0.4 salty:0.4 fit_to_be_tied:0.85 "
             "hopping_mad:0.9 steaming:0.7 steamed:0.6 galled:0.5 shirty:0.5 ratty:0.45 browned_off:0.55 "
             "ballistic:0.95 on_the_warpath:0.85 bent_out_of_shape:0.6 foaming_at_the_mouth:0.95 "
             "spitting_feathers:0.85 spitting_mad:0.9 rankled:0.5 affronted:0.6 offended:0.55 put_out:0.45 "
             "incandescent:0.95 irascible:0.55 splenetic:0.7 snarling:0.8 snarly:0.6 snarl:0.75 in_a_huff:0.5 "
             "tetchy:0.45 stewing:0.55 pissed:0.65 face_like_thunder:0.8 face_of_thunder:0.8 red_with_anger:0.85 "
             "red_with_rage:0.9 grouchy:0.45 crabby:0.45 embittered:0.6 peevish:0.45 piqued:0.4 truculent:0.7 "
             "narked:0.45 hacked_off:0.6 ticked_off:0.55 pissed_off:0.7 peed_off:0.6 illtempered:0.6 "
             "badtempered:0.55 shorttempered:0.6 hotheaded:0.65 cheesed_off:0.55 brassed_off:0.55 angry anger mad "
             "furious:0.95 fury:0.95 rage:1 raging:1 enraged:1 livid:1 irate:0.9 incensed:0.9 outraged:0.9 "
             "outrage:0.9 indignant:0.65 indignation:0.65 irritated:0.45 irritation:0.45 annoyed:0.4 annoyance:0.4 "
             "vexed:0.5 vexation:0.5 cross:0.5 fuming:0.9 seething:0.85 wrath:0.95 wrathful:0.95 hostile:0.7 "
             "hostility:0.7 resentful:0.6 resentment:0.6 bitter:0.55 bitterness:0.55 irked:0.4 peeved:0.4 "
             "miffed:0.35 grumpy:0.4 cranky:0.45 testy:0.45 huffy:0.45 aggravated:0.55 infuriated:0.95 apoplectic:1 "
             "heated:0.6 snappish:0.5 belligerent:0.8 aggressive:0.75 glaring:0.7 glare:0.7 scowl:0.65 "
             "scowling:0.65 seeing_red:0.95 up_in_arms:0.8 bristling:0.6 irritable:0.5 ireful:0.8 ire:0.8 "
             "furor:0.95 riled:0.6 provoked:0.6 wrathfully:0.95 choleric:0.7 vindictive:0.8 antagonistic:0.7 "
             "combative:0.7",
    "hatred": "hatred:0.9 hate:0.85 hateful:0.85 loathing:0.85 loathe:0.85 animosity:0.75 venomous:0.9 vengeful:0.8 "
              "spiteful:0.7 spite:0.7 malice:0.8 malicious:0.8 enmity:0.8",
    "disgust": "green_around_the_gills:0.6 green_about_the_gills:0.6 put_off:0.45 icked_out:0.6 skeeved_out:0.65 "
               "squeamish:0.55 ick:0.55 ew:0.55 eww:0.6 gag:0.8 gagging:0.85 retch:0.9 retching:0.9 puke:0.85 "
               "vomit:0.85 disgust disgusted revulsion:0.9 revolted:0.9 repulsed:0.85 repulsion:0.85 repelled:0.7 "
               "grossed_out:0.7 gross:0.6 nauseated:0.8 nausea:0.75 nauseous:0.75 queasy:0.5 sickened:0.8 "
               "distaste:0.45 aversion:0.55 abhorrence:0.9 yuck:0.6 repugnance:0.85 icky:0.5 grossed:0.7",
    "appalled": "appalled:0.85 dismayed:0.55 dismay:0.55 scandalized:0.8 scandalised:0.8",
    "contempt": "catty:0.5 bitchy:0.5 pfft:0.5 pah:0.5 sneer:0.6 sneering:0.6 snooty:0.55 snobbish:0.55 snobby:0.55 "
                "sniffy:0.5 eye_rolling:0.6 eyerolling:0.6 withering:0.7 scathing:0.7 uppity:0.5 "
                "holier_than_thou:0.6 belittling:0.6 snarky:0.55 contempt contemptuous scorn scornful disdain:0.65 "
                "disdainful:0.65 derision derisive mocking:0.6 mockery:0.6 condescending:0.55 condescension:0.55 "
                "haughty:0.55 superior:0.5 dismissive:0.5 smirk:0.6 smirking:0.6 sarcastic:0.5 sarcasm:0.5 "
                "sardonic:0.5 supercilious:0.6 patronizing:0.5 disrespect:0.5 disrespectful:0.5 snide:0.55 "
                "eye_roll:0.6 eyeroll:0.6 scoffing:0.6 scoff:0.6 sneery:0.6 arrogant:0.55 arrogance:0.55 wry:0.4",
    "smugness": "smarmy:0.6 sly:0.5 smug:0.65 smugness:0.65 selfsatisfied:0.6 self_satisfied:0.6 complacent:0.5 "
                "gloating:0.75 gloat:0.75 cocky:0.6 conceited:0.55 selfcongratulatory:0.6",
    "anxiety": "frenzied:0.8 twitchy:0.55 restive:0.5 high_strung:0.6 highly_strung:0.6 highstrung:0.6 "
               "on_tenterhooks:0.65 tenterhooks:0.6 nervous_wreck:0.9 bag_of_nerves:0.85 worked_up:0.6 het_up:0.6 "
               "strung_out:0.6 overwrought:0.75 angst:0.6 angsty:0.55 nail_biting:0.65 nailbiting:0.65 "
               "white_knuckled:0.75 whiteknuckled:0.75 trapped:0.75 vulnerable:0.5 vulnerability:0.5 unsettled:0.5 "
               "disturbed:0.6 selfdoubt:0.5 selfdoubting:0.5 anxiety:0.65 anxious:0.65 nervous:0.6 nervousness:0.6 "
               "nerves:0.55 jittery:0.65 jitters:0.65 tense:0.55 tension:0.55 uneasy:0.45 unease:0.45 "
               "uneasiness:0.45 edgy:0.55 on_edge:0.6 restless:0.5 fidgety:0.5 apprehensive:0.55 apprehension:0.55 "
               "stressed:0.65 stress:0.6 overwhelmed:0.8 frazzled:0.7 agitated:0.65 agitation:0.65 distressed:0.75 "
               "distress:0.75 flustered:0.6 rattled:0.6 jumpy:0.6 skittish:0.6 butterflies:0.45 illatease:0.5 "
               "ill_at_ease:0.5 insecure:0.5 insecurity:0.5 hesitant:0.35 hesitation:0.35 panicstricken:1 "
               "uptight:0.55 wired:0.55 antsy:0.5 fraught:0.7 keyed_up:0.6 wound_up:0.6 anxiousness:0.65 "
               "trepidation:0.6 trepidatious:0.6 disquieted:0.5 perturbation:0.5 stage_fright:0.7 intimidation:0.5",
    "worry": "worry:0.6 worried:0.6 concerned:0.5 concern:0.5 troubled:0.6 fretful:0.6 fretting:0.6 fret:0.6 "
             "perturbed:0.55 disquiet:0.5 bothered:0.4 preoccupied:0.45 uncertain_worry:0.5 careworn:0.6 "
             "haunted:0.6",
    "relief": "breathing_easier:0.55 breathing_easy:0.55 sigh_of_relief:0.8 breath_of_relief:0.75 relief relieved "
              "reassured:0.5 phew:0.7 unburdened:0.6 exhale:0.5 exhaling:0.5",
    "embarrassment": "beetroot:0.7 tonguetied:0.6 tongue_tied:0.6 oops:0.5 whoops:0.5 discomfited:0.55 "
                     "discomfiture:0.55 embarrassed:0.65 embarrassment:0.65 mortified:0.95 sheepish:0.55 "
                     "abashed:0.55 blush:0.55 blushing:0.55 selfconscious:0.55 self_conscious:0.55 bashful:0.5 "
                     "shy:0.45 shyness:0.45 coy:0.45 chagrin:0.6 chagrined:0.6 redfaced:0.65 red_faced:0.65 "
                     "flushed:0.5 timidly:0.35 awkwardly_shy:0.5",
    "shame": "hangdog:0.6 shame:0.75 ashamed:0.75 shameful:0.75 humiliated:0.9 humiliation:0.9 disgraced:0.85 "
             "disgrace:0.85 shamefaced:0.75 degraded:0.8",
    "guilt": "guilt guilty remorse:0.8 remorseful:0.8 regret:0.65 regretful:0.65 rueful:0.5 contrite:0.65 "
             "penitent:0.6 apologetic:0.5 culpable:0.6 selfreproach:0.7 conscience_stricken:0.8",
    "pride": "pride proud triumphant:0.85 triumph:0.85 victorious:0.85 accomplished:0.6 confident:0.55 "
             "confidence:0.55 selfassured:0.55 self_assured:0.55 dignified:0.5 dignity:0.45 honored:0.6 "
             "honoured:0.6 vindicated:0.7 assured:0.5 selfconfident:0.55 boastful:0.7 swagger:0.7",
    "tenderness": "flirty:0.55 flirtatious:0.55 coquettish:0.55 seductive:0.6 sultry:0.55 lustful:0.6 maternal:0.55 "
                  "paternal:0.55 aww:0.6 aw:0.5 awww:0.65 ardent:0.7 amorous:0.7 starryeyed:0.7 doeeyed:0.5 "
                  "dewyeyed:0.55 dreamy:0.5 love loving tender:0.6 tenderness:0.6 affection:0.6 affectionate:0.6 "
                  "fond:0.5 fondness:0.5 adoring:0.75 adoration:0.8 adore:0.75 caring:0.55 warm:0.5 warmth:0.5 "
                  "lovestruck:0.8 smitten:0.75 infatuated:0.75 devoted:0.6 devotion:0.6 moved:0.55 touched:0.55 "
                  "doting:0.6 cherish:0.6 cherished:0.6 romantic:0.6 loved:0.6 lovingly:0.7 besotted:0.8 "
                  "enamored:0.75 enamoured:0.75 sweet:0.45 heartwarming:0.6 heartwarmed:0.6 motherly:0.55 "
                  "fatherly:0.55 nurturing:0.55 protective:0.5 endearment:0.55 intimate:0.55",
    "amusement": "saucy:0.5 lol:0.6 haha:0.7 hahaha:0.8 tears_of_laughter:0.95 crying_with_laughter:0.95 "
                 "laughing_so_hard:0.95 boisterous:0.8 droll:0.45 amused:0.6 amusement:0.6 laughing:0.85 "
                 "laughter:0.85 laugh:0.8 giggling:0.75 giggle:0.75 chuckling:0.6 chuckle:0.6 playful:0.5 "
                 "mirth:0.75 mirthful:0.75 hilarity:0.9 hilarious:0.85 tickled:0.6 entertained:0.5 funny:0.5 "
                 "humor:0.5 humorous:0.5 teasing:0.5 mischievous:0.55 mischief:0.55 impish:0.55 cheeky:0.5 "
                 "silly:0.5 goofy:0.5 snicker:0.6 snickering:0.6 cackle:0.85 cackling:0.85 guffaw:1 guffawing:1 "
                 "chortle:0.7 merriment:0.75 whimsical:0.5 jokey:0.5 joking:0.5 laughs:0.8",
    "excitement": "buzzing:0.7 hyped:0.8 hyped_up:0.8 hyper:0.7 manic:0.85 delirious:0.7 spirited:0.5 aroused:0.6 "
                  "energetic:0.6 excited:0.75 excitement:0.75 thrilled:0.9 thrill:0.85 exhilarated:0.9 "
                  "exhilaration:0.9 enthusiastic:0.7 enthusiasm:0.7 eager:0.6 eagerness:0.6 giddy:0.75 psyched:0.8 "
                  "pumped:0.8 animated:0.6 exuberant:0.85 exuberance:0.85 fired_up:0.8 stoked:0.8 ecstatically:1 "
                  "elatedly_excited:0.9 anticipatory:0.55",
    "contentment": "approval:0.45 approving:0.45 approve:0.45 content:0.55 contented:0.55 contentment:0.55 "
                   "satisfied:0.55 satisfaction:0.55 fulfilled:0.6 pleased:0.55 cozy:0.5 cosy:0.5 comfortable:0.45 "
                   "gratified:0.6 happy_enough:0.4",
    "gratitude": "grateful:0.65 gratitude:0.65 thankful:0.6 appreciative:0.55 appreciation:0.55 humbled:0.6 "
                 "indebted:0.5 thankfulness:0.6",
    "hope": "sanguine:0.55 heartened:0.6 hope:0.6 hopeful:0.6 hoping:0.55 optimistic:0.55 optimism:0.55 "
            "expectant:0.5 wishful:0.5 encouraged:0.5 inspired:0.6 hopefulness:0.6 yearning_hope:0.6",
    "boredom": "meh:0.45 bleh:0.4 glassyeyed:0.5 glassy_eyed:0.5 uninspired:0.45 halfhearted:0.4 distracted:0.4 "
               "bored:0.6 boredom:0.6 uninterested:0.55 disinterested:0.55 indifferent:0.45 indifference:0.45 "
               "apathetic:0.55 apathy:0.55 listless:0.6 unimpressed:0.5 jaded:0.5 tedium:0.6 monotony:0.55 "
               "blase:0.45 yawning:0.7 yawn:0.7 detached:0.4 distant:0.4 aloof:0.4 vacant:0.45 zoned_out:0.6 "
               "dull:0.4 tedious:0.55 disengaged:0.5 ennui:0.6 weary_boredom:0.6",
    "confusion": "in_two_minds:0.45 huh:0.45 stumped:0.6 flummoxed:0.7 discombobulated:0.7 foxed:0.5 "
                 "bamboozled:0.65 headscratching:0.55 head_scratching:0.55 addled:0.55 fuddled:0.55 mixed_up:0.55 "
                 "confused:0.6 confusion:0.6 puzzled:0.6 puzzlement:0.6 perplexed:0.65 perplexity:0.65 "
                 "bewildered:0.75 bewilderment:0.75 baffled:0.75 bemused:0.5 befuddled:0.65 mystified:0.65 "
                 "disoriented:0.6 lost:0.5 uncertain:0.4 uncertainty:0.4 unsure:0.4 at_a_loss:0.6 quizzical:0.5 "
                 "confounded:0.7 muddled:0.55 nonplussed:0.6 clueless:0.5 dazed_confusion:0.6 indecisive:0.45 "
                 "torn:0.5 conflicted:0.5 ambivalent:0.4",
    "concentration": "lost_in_thought:0.55 thinking:0.45 pensively:0.45 concentration:0.6 concentrating:0.6 "
                     "focused:0.55 focussed:0.55 focus:0.55 intent:0.55 absorbed:0.5 engrossed:0.55 attentive:0.45 "
                     "thoughtful:0.45 contemplative:0.45 studious:0.5 deliberating:0.5 deep_in_thought:0.6 "
                     "serious:0.45 solemn:0.5 earnest:0.45 vigilant:0.5 alert:0.45 watchful:0.45 pondering:0.5 "
                     "reflective:0.4 meditative:0.4 analytical:0.5 scrutinizing:0.6 scrutinising:0.6 "
                     "calculating:0.5",
    "determination": "feisty:0.55 plucky:0.55 gutsy:0.6 bold:0.5 zealous:0.75 fearless:0.6 determined:0.7 "
                     "determination:0.7 resolute:0.7 resolve:0.65 resolved:0.65 steely:0.75 steadfast:0.6 "
                     "stubborn:0.6 grim:0.55 firm:0.5 unwavering:0.7 fierce:0.8 brave:0.55 bravery:0.55 "
                     "courageous:0.6 courage:0.6 tenacious:0.7 gritty:0.6 ambitious:0.55 driven:0.6 willful:0.6 "
                     "purposeful:0.6 unyielding:0.7 strongwilled:0.65",
    "defiance": "brazen:0.6 sassy:0.55 defensive:0.5 defensiveness:0.5 defiant:0.7 defiance:0.7 rebellious:0.65 "
                "insolent:0.6 obstinate:0.55 challenging:0.5 provocative:0.5 unrepentant:0.6",
    "pain": "smarting:0.5 ouch:0.6 pain:0.75 painful:0.7 pained:0.6 hurting:0.65 agony:1 agonized:1 agonised:1 "
            "ache:0.5 aching:0.55 wince:0.55 wincing:0.55 grimace:0.6 grimacing:0.6 suffering:0.8 excruciating:1 "
            "tormented:0.9 torment:0.9 sore:0.45 anguish_pain:0.9 tortured:0.9 stinging:0.6",
    "exhaustion": "hungover:0.65 woozy:0.5 dizzy:0.5 wiped_out:0.75 bone_tired:0.85 bonetired:0.85 dog_tired:0.85 "
                  "dogtired:0.85 run_down:0.6 rundown:0.6 done_in:0.7 wrung_out:0.75 zonked:0.75 pooped:0.7 "
                  "bushed:0.7 sleepdeprived:0.65 running_on_empty:0.7 tuckered_out:0.7 blearyeyed:0.6 "
                  "hollowed_out:0.7 holloweyed:0.7 exhausted:0.8 exhaustion:0.8 tired:0.6 tiredness:0.6 weary:0.6 "
                  "weariness:0.6 fatigue:0.65 fatigued:0.65 sleepy:0.6 drowsy:0.6 drained:0.7 spent:0.6 "
                  "worn_out:0.7 worn:0.6 burned_out:0.75 burnt_out:0.75 burnout:0.75 lethargic:0.6 sluggish:0.5 "
                  "worldweary:0.65 world_weary:0.65 depleted:0.7 haggard:0.7 knackered:0.8 shattered:0.8 beat:0.6 "
                  "dead_tired:0.85 groggy:0.6 languid:0.45",
    "skepticism": "skeptical:0.6 sceptical:0.6 skepticism:0.6 scepticism:0.6 doubt:0.55 doubtful:0.55 dubious:0.55 "
                  "unconvinced:0.55 cynical:0.6 cynicism:0.6 questioning:0.45 unpersuaded:0.55 doubting:0.55 "
                  "raised_eyebrow:0.5",
    "suspicion": "cautious:0.45 caution:0.45 shifty:0.55 suspicious:0.6 suspicion:0.6 wary:0.5 wariness:0.5 "
                 "distrustful:0.6 distrust:0.6 mistrust:0.6 mistrustful:0.6 leery:0.5 guarded:0.45 cagey:0.5 "
                 "paranoid:0.7",
    "disbelief": "disbelief:0.75 incredulous:0.75 incredulity:0.75 unbelieving:0.7 in_disbelief:0.75 "
                 "cant_believe:0.7",
    "curiosity": "all_ears:0.65 engaged:0.5 anticipation:0.5 anticipating:0.5 curious:0.6 curiosity:0.6 "
                 "interested:0.5 interest:0.5 intrigued:0.6 intrigue:0.6 fascinated:0.7 fascination:0.7 "
                 "inquisitive:0.6 keen:0.55 wondering:0.45 attentive_interest:0.5 nosy:0.55 nosey:0.55 "
                 "inquiring:0.5 probing:0.5",
    "awe": "worshipful:0.7 awe:0.8 awed:0.8 awestruck:0.9 in_awe:0.85 reverence:0.6 reverent:0.6 admiration:0.5 "
           "admiring:0.5 marvel:0.7 marveling:0.7 marvelling:0.7 wonderstruck:0.85 starstruck:0.8 breathless:0.7 "
           "enchanted:0.6 captivated:0.65 mesmerized:0.7 mesmerised:0.7 spellbound:0.75 dazzled:0.7 wonder:0.6 "
           "awesome:0.6 transfixed:0.75 rapt:0.7 overawed:0.85 amazed_awe:0.8",
    "nostalgia": "nostalgia:0.6 nostalgic:0.6 wistful:0.55 wistfulness:0.55 reminiscent:0.5 reminiscing:0.5 "
                 "sentimental:0.55 misty_eyed:0.6 mistyeyed:0.6 remembering:0.45",
    "yearning": "lovelorn:0.7 longing:0.65 yearning:0.7 yearn:0.7 pining:0.65 homesick:0.6 homesickness:0.6 "
                "desire:0.55 wanting:0.5 craving:0.6 lovesick:0.7",
    "bittersweet": "bittersweet:0.65 mixed_feelings:0.5 mixed_emotions:0.5 poignant:0.6 poignancy:0.6 happy_sad:0.6 "
                   "melancholy_joy:0.6",
    "jealousy": "jealous:0.65 jealousy:0.65 envious:0.6 envy:0.6 covetous:0.6 possessive:0.55 "
                "resentfully_envious:0.65",
    "awkwardness": "awkward:0.6 awkwardness:0.6 uncomfortable:0.5 discomfort:0.45 cringe:0.7 cringing:0.7 "
                   "cringey:0.65 cringeworthy:0.7 uncomfortably:0.5",
    "frustration": "cheated:0.6 ugh:0.5 argh:0.6 grr:0.6 gritted_teeth:0.6 clenched_teeth:0.6 disgruntled:0.55 "
                   "frustrated:0.65 frustration:0.65 exasperated:0.75 exasperation:0.75 fed_up:0.7 fedup:0.7 "
                   "impatient:0.55 impatience:0.55 thwarted:0.6 stymied:0.6 aggrieved:0.6 at_wits_end:0.8 "
                   "harried:0.6 grumbling:0.5",
    "disappointment": "pessimistic:0.5 pessimism:0.5 disappointed:0.6 disappointment:0.6 let_down:0.6 letdown:0.6 "
                      "disheartened:0.65 discouraged:0.6 deflated:0.6 disillusioned:0.6 dissatisfied:0.5 "
                      "dissatisfaction:0.5 underwhelmed:0.45 sorry_disappointed:0.55",
    "despair": "powerless:0.7 despair:0.9 despairing:0.9 hopeless:0.85 hopelessness:0.85 desperate:0.85 "
               "desperation:0.85 distraught:0.9 forsaken:0.8 helpless:0.75 helplessness:0.75 crushed:0.85 "
               "despondency:0.85 anguished_despair:0.9 broken_hearted:0.9",
    "disapproval": "hmph:0.5 humph:0.5 tut:0.45 tutting:0.5 pofaced:0.55 sourfaced:0.55 disapproving:0.6 "
                   "disapproval:0.6 frown:0.5 frowning:0.55 displeased:0.5 displeasure:0.5 stern:0.6 "
                   "reproachful:0.6 reproach:0.6 critical:0.5 judgmental:0.55 judgemental:0.55 judging:0.5 "
                   "sour:0.45 unamused:0.55 not_amused:0.55 severe:0.6 disapprovingly:0.6 censorious:0.6 prim:0.4 "
                   "strict:0.5",
    "sympathy": "solicitous:0.5 sympathy:0.6 sympathetic:0.6 compassion:0.65 compassionate:0.65 empathy:0.6 "
                "empathetic:0.6 empathic:0.6 pity:0.6 pitying:0.6 consoling:0.55 comforting:0.55 kindness:0.5 "
                "understanding:0.45 commiserating:0.6 concerned_for:0.55 reassuring:0.5",
    "resignation": "beaten:0.7 reluctant:0.45 reluctance:0.45 reluctantly:0.45 resigned:0.6 resignation:0.6 "
                   "defeated:0.75 defeat:0.75 giving_up:0.7 acceptance:0.45 accepting:0.45 sigh:0.5 sighing:0.5 "
                   "surrender:0.6 fatalistic:0.6 deflation:0.55 stoically_resigned:0.6",
    "sulking": "pouty:0.55 stroppy:0.6 mardy:0.55 sulky:0.6 sulking:0.6 sulk:0.6 pout:0.55 pouting:0.55 "
               "petulant:0.6 sullen:0.6 moody:0.5 huffing:0.5 brooding:0.6 grudging:0.5",
    "composure": "humble:0.4 modest:0.4 tightlipped:0.6 straightfaced:0.55 composed:0.5 composure:0.5 poised:0.5 "
                 "poise:0.5 stoic:0.6 stoical:0.6 collected:0.5 keeping_it_together:0.55 holding_it_together:0.55 "
                 "brave_face:0.55 professional:0.45 businesslike:0.45 selfcontrolled:0.55 self_controlled:0.55 "
                 "restraint:0.5 reserved:0.45 formal:0.4 polite:0.4 dutiful:0.4 straight_face:0.55",
    "calm": "chill:0.5 chilled_out:0.55 unperturbed:0.6 unruffled:0.6 equanimous:0.65 equanimity:0.65 "
            "cool_as_a_cucumber:0.7 unflappable:0.6 coolheaded:0.55 cool_headed:0.55 trusting:0.45 appeased:0.5 "
            "nonchalant:0.5 nonchalance:0.5 unfazed:0.55 unafraid:0.5 unconcerned:0.5 at_peace:0.65 calm:0.6 "
            "calmness:0.6 serene:0.7 serenity:0.7 peaceful:0.65 peace:0.6 tranquil:0.7 tranquility:0.7 "
            "tranquillity:0.7 relaxed:0.6 relaxation:0.6 placid:0.6 unbothered:0.5 mellow:0.55 zen:0.6 restful:0.6 "
            "at_ease:0.5 soothed:0.55 comforted:0.5 easygoing:0.5 untroubled:0.55 carefree:0.6 gentle:0.4 "
            "quietly_content:0.5 level_headed:0.5",
    "neutral": "stonefaced:0.6 stone_faced:0.6 poker_faced:0.6 stony:0.5 taciturn:0.5 stonyfaced:0.6 pokerfaced:0.6 "
               "neutral:0.5 expressionless:0.6 blank:0.55 deadpan:0.6 impassive:0.6 emotionless:0.6 poker_face:0.6 "
               "unmoved:0.5 numb:0.6 unreadable:0.55 flat:0.45 matter_of_fact:0.5 unemotional:0.6 "
               "indifferent_neutral:0.45",
}

# Adjacent pairs that name a Du et al. compound ("happily surprised", "a happy surprise").
_COMPOUNDS: dict[tuple[str, str], str] = {
    ("happiness", "surprise"): "happily surprised",
    ("happiness", "disgust"): "happily disgusted",
    ("sadness", "fear"): "sadly fearful",
    ("sadness", "anger"): "sadly angry",
    ("sadness", "surprise"): "sadly surprised",
    ("sadness", "disgust"): "sadly disgusted",
    ("fear", "anger"): "fearfully angry",
    ("fear", "surprise"): "fearfully surprised",
    ("fear", "disgust"): "fearfully disgusted",
    ("anger", "surprise"): "angrily surprised",
    ("anger", "disgust"): "angrily disgusted",
    ("disgust", "surprise"): "disgustedly surprised",
}

# Words that show an expression rather than name a feeling: they play the cover in a mask.
_DISPLAY = frozenset(
    "smile smiling smiles smiled grin grinning grins beam beaming laugh laughing laughs laughter giggle "
    "giggling chuckle chuckling smirk smirking frown frowning scowl scowling sneer sneering glare glaring "
    "grimace grimacing wince wincing pout pouting tears crying sob sobbing yawn yawning sigh sighing blush "
    "blushing gasp gasping brave_face poker_face straight_face".split()
)
# Smile qualifiers that mark a false (non-Duchenne) smile; value = the feeling it usually covers.
_FALSE_SMILE: dict[str, str | None] = {
    "forced": "anxiety", "fake": "anxiety", "false": "anxiety", "strained": "anxiety",
    "nervous": "anxiety", "tight": "anxiety", "awkward": "awkwardness", "brave": "sadness",
    "pained": "sadness", "thin": None, "polite": None, "social": None, "professional": None,
    "practiced": None, "practised": None, "plastered": None, "frozen": "anxiety", "wooden": None,
    "courteous": None, "dutiful": None, "rehearsed": None, "painted": None, "hollow": "sadness",
}

# Words that make any emotion a display ("feigned indifference", "mock surprise", "forced cheer").
_FEIGN = frozenset("forced fake false feigned faked mock pretend pretended simulated affected artificial "
                   "performed acted staged".split())
_FALSE_SMILE.update({w: None for w in _FEIGN if w not in _FALSE_SMILE})
_FALSE_SMILE["forced"] = "anxiety"
# Labels that can serve as a cover face, and clause words that mark outside vs inside.
_COVER_LABELS = frozenset({"composure", "calm", "neutral"})
_INWARD_WORDS = frozenset("inwardly inside underneath beneath deep secretly privately internally within "
                          "inner".split())
_OUTWARD_WORDS = frozenset("outwardly outside surface externally visibly outward".split())

# Intensity modifiers. Diminishers multiply; intensifiers move toward 1: i + (1 - i) * k.
_DIMINISH: dict[str, float] = {
    "slightly": 0.5, "slight": 0.5, "a_bit": 0.6, "a_little": 0.6, "little": 0.6, "somewhat": 0.7,
    "mildly": 0.5, "mild": 0.5, "a_hint_of": 0.35, "hint_of": 0.35, "hint": 0.35, "a_touch_of": 0.4,
    "touch_of": 0.4, "a_trace_of": 0.35, "trace_of": 0.35, "trace": 0.35, "a_flicker_of": 0.4,
    "flicker_of": 0.4, "flicker": 0.4, "a_glimmer_of": 0.4, "glimmer": 0.4, "a_tinge_of": 0.35,
    "tinge": 0.35, "tinged_with": 0.5, "tinged_by": 0.5, "laced_with": 0.55, "edged_with": 0.55,
    "touched_with": 0.5, "a_shade_of": 0.4, "shade_of": 0.4, "a_whisper_of": 0.3, "whisper_of": 0.3,
    "a_shred_of": 0.3, "a_pinch_of": 0.35, "a_dash_of": 0.4, "a_note_of": 0.45, "note_of": 0.45,
    "a_touch": 0.5, "a_tad": 0.5, "tad": 0.5, "a_smidge": 0.45, "smidge": 0.45, "a_wee_bit": 0.55,
    "wee": 0.6, "a_tiny_bit": 0.45, "a_little_bit": 0.55, "marginally": 0.5, "a_shade": 0.5,
    "a_sense_of": 0.8, "cautiously": 0.6, "guardedly": 0.6,
    "barely": 0.3, "faintly": 0.4, "faint": 0.4, "subtle": 0.45, "subtly": 0.45,
    "quietly": 0.7, "quiet": 0.7, "restrained": 0.6, "muted": 0.6, "subdued": 0.6, "gentle": 0.65,
    "gently": 0.65, "soft": 0.65, "softly": 0.65, "small": 0.6, "tiny": 0.45, "low": 0.6,
    "moderately": 0.8, "moderate": 0.8, "understated": 0.6, "reserved": 0.65, "hardly": 0.3,
    "kind_of": 0.7, "sort_of": 0.7, "rather": 0.85, "fairly": 0.8, "partly": 0.7, "vaguely": 0.5,
    "vague": 0.5, "tentative": 0.6, "tentatively": 0.6, "weak": 0.5, "weakly": 0.5, "thin": 0.6,
    "brief": 0.8, "fleeting": 0.6, "momentary": 0.8, "controlled": 0.6, "contained": 0.6,
    "polite": 0.6, "tight": 0.7, "lingering": 0.8, "residual": 0.5, "leftover": 0.5, "half": 0.7,
    "dawning": 0.7, "creeping": 0.7, "a_flash_of": 0.7, "flash_of": 0.7, "a_moment_of": 0.8,
    "a_twinge_of": 0.4, "twinge_of": 0.4, "a_pang_of": 0.55, "pang_of": 0.55, "a_spark_of": 0.5,
}
_INTENSIFY: dict[str, float] = {
    "very": 0.45, "really": 0.4, "so": 0.4, "quite": 0.25, "deeply": 0.55, "deep": 0.5,
    "strongly": 0.5, "strong": 0.5, "intense": 0.65, "intensely": 0.65, "profound": 0.6,
    "profoundly": 0.6, "great": 0.45, "huge": 0.55, "immense": 0.7, "immensely": 0.7,
    "overwhelming": 0.85, "overwhelmingly": 0.85, "overwhelmed_by": 0.8, "extreme": 0.85,
    "extremely": 0.85, "utter": 0.85, "utterly": 0.85, "complete": 0.8, "completely": 0.8,
    "total": 0.8, "totally": 0.8, "absolute": 0.8, "absolutely": 0.8, "incredibly": 0.7,
    "incredible": 0.7, "terribly": 0.6, "awfully": 0.6, "painfully": 0.6, "wildly": 0.7,
    "pure": 0.7, "sheer": 0.8, "raw": 0.6, "unbridled": 0.75, "uncontrollable": 0.8,
    "uncontrollably": 0.8, "visible": 0.2, "visibly": 0.25, "obvious": 0.3, "obviously": 0.3,
    "clear": 0.2, "clearly": 0.2, "mounting": 0.3, "growing": 0.2, "boundless": 0.8,
    "crushing": 0.8, "blinding": 0.85, "paralyzing": 0.8, "paralysing": 0.8, "abject": 0.8,
    "increasingly": 0.3, "progressively": 0.3, "more_and_more": 0.35, "ever_more": 0.35,
    "fully": 0.6, "full": 0.5, "wide": 0.4, "broad": 0.45, "big": 0.45, "open": 0.3,
    "highly": 0.5, "truly": 0.4, "genuinely": 0.3, "genuine": 0.3, "heartfelt": 0.35,
    "bursting_with": 0.7, "filled_with": 0.5, "full_of": 0.5, "overcome_with": 0.8,
    "overcome_by": 0.8, "consumed_by": 0.8, "seized_by": 0.7, "gripped_by": 0.7,
    "enormous": 0.7, "massive": 0.7, "tremendous": 0.7, "severe": 0.7, "severely": 0.7,
    "acute": 0.6, "desperately": 0.7, "fiercely": 0.7, "violently": 0.8, "violent": 0.8,
    "explosive": 0.8, "searing": 0.8, "burning": 0.6, "intensifying": 0.4, "peak": 0.8,
    "insanely": 0.7, "crazy": 0.5, "crazily": 0.5, "seriously": 0.45, "mighty": 0.4, "noticeably": 0.25,
    "downright": 0.6, "positively": 0.5, "thoroughly": 0.7, "exceedingly": 0.75, "hugely": 0.6,
    "massively": 0.6, "majorly": 0.5, "supremely": 0.75, "dreadfully": 0.6, "frightfully": 0.6,
    "bitterly": 0.6, "sorely": 0.5, "madly": 0.7, "hopelessly": 0.6, "tremendously": 0.7,
    "extraordinarily": 0.7, "unbelievably": 0.7, "ridiculously": 0.6, "seriously_very": 0.6,
    "max": 0.9, "maximum": 0.9, "most": 0.5, "super": 0.5, "too": 0.4, "such": 0.3,
}
_NEGATIONS = frozenset("not no never without isnt arent wasnt werent dont doesnt didnt neither nor "
                       "cant cannot wont hardly_any free_of devoid_of lacking no_longer".split())
# Markers before an emotion word that make it suppressed ("suppressed anger", "pent up rage").
_SUPPRESS = frozenset("suppressed suppressing repressed repressing stifled stifling bottled bottledup "
                      "bottled_up pentup pent_up held_back holding_back hidden concealed masked "
                      "swallowed swallowing choked choking choked_back choking_back smothered "
                      "smothering buried unspoken unexpressed simmering inner inward private "
                      "secret secretly silent silently internal restrained controlled contained "
                      "checked curbed reined_in tamped_down fighting_back fighting fought "
                      "biting_back bit_back bite_back gulping_back gulping_down holding_in keeping_down "
                      "barely_contained barely_concealed barely_suppressed barely_hidden "
                      "thinly_veiled poorly_hidden poorly_concealed badly_hidden".split())
# Of those, the ones that only soften a display word ("restrained smile" is a small smile).
_SOFTEN_DISPLAY = frozenset("restrained controlled contained".split())
# Emotion words that usually mean something else in a scene description ("a blue dress").
_AMBIGUOUS = frozenset("cut_up torn_up run_down done_in put_out put_off wiped_out steaming steamed ratty bubbly "
                       "salty prickly buzzing bold chill ashen pallid fragile cheated abandoned ignored stung dizzy "
                       "stony cheer stricken blue cross mad content lost beat spent broken worn flat low hurt "
                       "interest focus serious touched moved kind sweet warm cold sour firm dull blank lament sore "
                       "wired shattered "
                       "drained gross alert intent critical severe strict formal professional empty engaged hollow "
                       "beaten trapped isolated free".split())
# Words that never start a fuzzy match (function words and grammar markers).
_FUNCTION = frozenset(
    "about above after again against all almost along also although among another anything around "
    "because before behind being below beneath between beyond both briefly but by during each either "
    "else even ever every face first from getting gives giving have having into itself just later "
    "least less like little look looks looking maybe mixed more mostly much never nothing other "
    "others over perhaps quite rather really seems seeming since slowly some something still such "
    "suddenly than that their them then there these they thing this those though through toward "
    "towards trying under until very what when where which while whose with within without would "
    "plain expression feeling feelings emotion emotions mood state sense hidden concealed masked covered "
    "restrained suppressed turning turns becoming gradually finally eventually followed fading "
    "melting shifting changing hiding concealing masking covering disguised disguising behind "
    "person someone character woman man girl boy student mother father child people".split()
)
_MODIFIERS = frozenset(_DIMINISH) | frozenset(_INTENSIFY) | _NEGATIONS | _SUPPRESS
_EMOJI = {c: word for word, chars in (
    ("happy", "\U0001F600\U0001F603\U0001F604\U0001F601\U0001F60A\U0001F642\u263A"),
    ("laughing", "\U0001F606\U0001F602\U0001F923"), ("love", "\U0001F60D\U0001F970\u2764"),
    ("sad", "\U0001F622\U0001F61E\U0001F614\u2639\U0001F641"), ("sobbing", "\U0001F62D"),
    ("angry", "\U0001F620\U0001F621\U0001F92C"), ("afraid", "\U0001F628\U0001F630"),
    ("terrified", "\U0001F631"), ("surprised", "\U0001F62E\U0001F632\U0001F62F"),
    ("disgusted", "\U0001F922\U0001F92E"), ("contempt", "\U0001F612\U0001F644"), ("smug", "\U0001F60F"),
    ("anxious", "\U0001F62C\U0001F605"), ("tired", "\U0001F634\U0001F62A\U0001F971"),
    ("neutral", "\U0001F610\U0001F611"), ("confused", "\U0001F615\U0001F914"),
) for c in chars}
_ACCENT_RE = re.compile(r"[\u0300-\u036f]")
_TOKEN_RE = re.compile(r"[a-z]+|[,;]|->|=>|\u2192")

# Grammar patterns below are plain strings, compiled on first use by _rx().
# Phase markers: "A then B", "A turning into B", "A gives way to B", ... ("from A to B" and
# "B after A" are handled separately).
_TRANSITION = (
    r"\s*(?:[,;]\s*)?(?<![a-z])(?:and then|then|and later|later|and finally|finally|eventually|and eventually|"
    r"(?:(?:slowly|gradually|quickly|suddenly|soon|abruptly|rapidly|steadily|instantly|finally) )?"
    r"(?:turn(?:s|ing|ed)?|fad(?:es|ing|ed|e)|melt(?:s|ing|ed)?|"
    r"dissolv(?:es|ing|ed|e)|shift(?:s|ing|ed)?|chang(?:es|ing|ed|e)|morph(?:s|ing|ed)?|"
    r"transform(?:s|ing|ed)?|grow(?:s|ing)?|grew|soften(?:s|ing|ed)?|harden(?:s|ing|ed)?|"
    r"eas(?:es|ing|ed|e)|settl(?:es|ing|ed|e)|resolv(?:es|ing|ed|e)|build(?:s|ing)?|"
    r"escalat(?:es|ing|ed|e)|ripen(?:s|ing|ed)?|curdl(?:es|ing|ed|e)|sour(?:s|ing|ed)?|"
    r"switch(?:es|ing|ed)?|flip(?:s|ping|ped)?|collaps(?:es|ing|ed|e)|break(?:s|ing)?|broke|"
    r"burst(?:s|ing)?|erupt(?:s|ing|ed)?|spill(?:s|ing|ed)?|develop(?:s|ing|ed)?|"
    r"evolv(?:es|ing|ed|e)|slid(?:es|ing|e)?|drift(?:s|ing|ed)?|crumbl(?:es|ing|ed|e)|"
    r"rising|ris(?:es|e)|giv(?:es|ing|e) rise|subsid(?:es|ing|ed|e)|ebb(?:s|ing|ed)?|sink(?:s|ing)?|sank|"
    r"slip(?:s|ping|ped)?|spiral(?:s|ing|ling|ed|led)?|laps(?:es|ing|ed|e)|tip(?:s|ping|ped)?|"
    r"mellow(?:s|ing|ed)?|cool(?:s|ing|ed)?|blossom(?:s|ing|ed)?|bloom(?:s|ing|ed)?|"
    r"crystalli[sz](?:es|ing|ed|e)|deflat(?:es|ing|ed|e)|reced(?:es|ing|ed|e)|relax(?:es|ing|ed)?|"
    r"calm(?:s|ing|ed)?|descend(?:s|ing|ed)?|ramp(?:s|ing|ed)?|flar(?:es|ing|ed|e)|boil(?:s|ing|ed)?|"
    r"bubbl(?:es|ing|ed|e)|shad(?:es|ing|ed|e)|segue(?:s|ing|d)?|bleed(?:s|ing)?|bled|snap(?:s|ping|ped)?|"
    r"explod(?:es|ing|ed|e)|deepen(?:s|ing|ed)?|intensif(?:ies|ying|ied|y)|wither(?:s|ing|ed)?|"
    r"giv(?:es|ing|e) over|gave over|pass(?:es|ing|ed)?|mov(?:es|ing|ed|e)|progress(?:es|ing|ed)?|"
    r"transition(?:s|ing|ed)?|revert(?:s|ing|ed)?|return(?:s|ing|ed)?|lead(?:s|ing)?|led|"
    r"simmer(?:s|ing|ed)?|seep(?:s|ing|ed)?|creep(?:s|ing)?|crept|edg(?:es|ing|ed|e)|veer(?:s|ing|ed)?|"
    r"tilt(?:s|ing|ed)?|swing(?:s|ing)?|swung|lurch(?:es|ing|ed)?|releas(?:es|ing|ed|e)|dissipat(?:es|ing|ed|e)|"
    r"mount(?:s|ing|ed)?|swell(?:s|ing|ed)?|climb(?:s|ing|ed)?|surg(?:es|ing|ed|e)|spik(?:es|ing|ed|e)|"
    r"jump(?:s|ing|ed)?|leap(?:s|ing|t|ed)?|rocket(?:s|ing|ed)?)"
    r"(?: over| up| down| back| away| out)? (?:(?:in)?to|towards?)|"
    r"(?:slowly |gradually |quickly |suddenly )?(?:becom(?:es|ing|e)|became)|"
    r"giv(?:es|ing|e) way to|gave way to|followed by|replaced by|yield(?:s|ing)? to|leading to|"
    r"leads to|ending in|ends in|(?:and )?afterwards?|after that|subsequently|later on|soon after|"
    r"ending with|ends up|ending up|ends|before|until|->|=>|\u2192)(?![a-z])\s*"
)
# "B after A", "B washing over A": B comes second (the halves are reversed).
_AFTER = (r"\s+\b(?:after|following|in the wake of|on the heels of|"
          r"(?:(?:slowly|gradually|quickly|suddenly|finally) )?(?:wash(?:es|ing|ed)? (?:over|away)|"
          r"replac(?:es|ing|ed|e)|overtak(?:es|ing|e)|overtook|supplant(?:s|ing|ed)?|displac(?:es|ing|ed|e)|"
          r"tak(?:es|ing|e) over from|took over from|chas(?:es|ing|ed|e) away|push(?:es|ing|ed)? aside|"
          r"sweep(?:s|ing)? away|swept away|banish(?:es|ing|ed)?|dispel(?:s|ling|led)?|"
          r"eclips(?:es|ing|ed|e)|drown(?:s|ing|ed)? out|melt(?:s|ing|ed)? away))\b\s+")
_FROM_TO = r"\bfrom (.+?) (?:to|into) (.+)$"
_COVER_VERBS = (r"(?:concealed|masked|hidden|covered(?: up)?|disguised|veiled|cloaked|camouflaged|"
                r"papered over|buried|overlaid|smothered|cloaked|wrapped|shrouded|swathed|dressed|draped|"
                r"held in check|kept in check|held back|"
                r"kept back|kept down|held down|checked|contained|suppressed|controlled|hid|hides|"
                r"masks|conceals|covers)")
_HEDGE = r"(?:(?:barely|thinly|poorly|partly|partially|mostly|carefully|badly|only just|just|well) )?"
# "A concealed by B": A is the masked feeling, B the shown cover.
_MASKED_BY = rf"^(?P<a>.+?) {_HEDGE}{_COVER_VERBS} (?:by|behind|under|beneath|underneath|with|in) (?P<b>.+)$"
# "B hiding A", "trying to hide A", "smiling through tears": B shown (may be empty), A masked.
_HIDING = (
    r"^(?P<b>.*?) ?\b(?:(?:trying|tries|tried|try|attempting|attempts|struggling|struggles|fighting|"
    r"working) to (?:hide|mask|conceal|cover(?: up)?|suppress|disguise|contain|swallow|keep down|"
    r"hold back|bury|stifle|hold in)|to (?:hide|mask|conceal|cover(?: up)?|disguise)|"
    r"(?:that|which) (?:hides|masks|conceals|covers)|hiding|concealing|masking|covering(?: up)?|"
    r"disguising|veiling|papering over|on top of|in spite of|despite|through|over|belying|belies|"
    r"(?:that|which) belies|betraying|betrays|(?:that|which) betrays|masquerading over)\s(?P<a>.+)$"
)
# "fury masquerading as calm", "grief disguised as indifference": A masked, B shown.
_POSING_AS = (r"^(?P<a>.+?) (?:(?:wearing|putting on|puts on|wears|with|under|beneath|behind) (?:a|an|the) "
              r"(?:mask|veneer|facade|front|show|pretence|pretense|semblance|cloak|shell|air) of|"
              r"(?:masquerading|posing|passing|disguised|dressed(?: up)?|parading|presented|"
              r"presenting|played off|playing out|put on|coming across|hidden|concealed|masked) as) (?P<b>.+)$")
# "... hide it behind B": the hidden thing is named earlier, the cover after the preposition.
_PRONOUN = (r"^(?:it|this|that|them|these|those|everything|(?:her|his|their|the|my|your|its) "
            r"(?:true )?(?:feelings?|emotions?|reaction|state))$")
_BEHIND = r"^(?P<x>.+?) (?:behind|with|under|beneath|by) (?P<y>.+)$"
# "smiling, trying not to cry", "fighting the urge to laugh": A suppressed.
_NOT_TO = (
    r"^(?P<b>.*?) ?\b(?:(?:trying|tries|tried|try|struggling|struggles|doing (?:her|his|their|my|your) best|"
    r"working hard|fighting|determined|careful|desperately trying|managing) (?:hard |so hard |very hard )?"
    r"not to|(?:fighting|resisting|suppressing|stifling|biting back|holding back|fighting back) "
    r"(?:the |an? )?(?:strong )?urge to)\s(?P<a>.+)$"
)
# "proud but trying to look humble": A (before) masked, B (the look) shown.
_LOOKING = (
    r"^(?P<a>.+?),? (?:but |while |yet |and )?(?:trying|tries|struggling|attempting|pretending|pretends|"
    r"acting|managing|working|forcing (?:herself|himself|themselves|myself)) (?:hard )?(?:to )?"
    r"(?:look|appear|seem|act|stay|remain|keep|be|sound)(?:ing)? (?P<b>.+)$"
)
# "seething rage behind a polite mask": A masked, the mask/facade/smile shown.
_BEHIND_MASK = (
    r"^(?P<a>.+?) (?:behind|beneath|under|underneath) (?P<b>(?:a|an|the|her|his|their|my) .*\b(?:mask|facade|"
    r"front|veneer|exterior|surface|face|smile|grin|composure|calm|smirk|expression|nod|look|demeanou?r|manner|"
    r"air|countenance|laugh|chuckle|politeness|courtesy|professionalism|cheer|cheerfulness|bravado|nonchalance|"
    r"indifference|poise)\b.*)$"
)
# Idioms rewritten into the grammar above before parsing.
_IDIOMS: tuple[tuple[str, str], ...] = (
    (r"\b(?:keep|keeping|keeps|kept) (?:a )?straight face\b", "stifling laughter"),
    (r"\bpretend(?:ing|s|ed)? (?:to be |that (?:she|he|they|i) (?:is|are|am|was|were) |everything is |all is )?"
     r"(?:fine|okay|ok|alright|all right|normal|happy)\b", "sadness concealed by composure"),
    (r"^(?:(?:put(?:ting|s)?|wearing|wears) on )?a brave face$", "worry concealed by composure"),
    (r"\b(?:(?:put(?:ting|s)?|wearing|wears) on )?(?:a|her|his|their|my) brave face\b", "composure"),
    (r"\b(?:shaking|quaking|trembling) in (?:her|his|their|my) (?:boots|shoes)\b", "frightened"),
    (r"\bjump(?:ing|s|ed)? out of (?:her|his|their|my) skin\b", "startled"),
    (r"\b(?:sick to (?:the pit of )?(?:her|his|their|my) stomach|(?:her|his|their|my) stomach (?:turn|churn)\w*|"
     r"turned (?:her|his|their|my) stomach|turned stomach)\b", "nauseated"),
    (r"\broll(?:s|ing|ed)? (?:her|his|their|my) eyes\b", "eye roll"),
    (r"\blook(?:s|ing|ed)? down (?:(?:her|his|their|my) nose )?(?:at|on)\b", "disdainful"),
    (r"\b(?:a )?weight off (?:her|his|their|my) (?:shoulders|mind|chest)\b", "relieved"),
    (r"\bat a loss for words\b", "speechless"),
    (r"\b(?:down|low) in spirits\b", "dispirited"),
    (r"\blump in (?:her|his|their|my|the) throat\b", "suppressed sadness"),
    (r"\bheart in (?:her|his|their|my) (?:mouth|throat)\b", "fear"),
    # bodily idioms: what the body does stands for the feeling
    (r"\b(?:her|his|their|my) heart (?:sinks|sank|sinking|drops|dropped|dropping)\b|\bheart sinking\b|"
     r"\b(?:her|his|their|my) face (?:falls|fell|falling|drops|dropped)\b", "disheartened"),
    (r"\b(?:(?:her|his|their|my) )?heart (?:racing|races|raced|pounding|pounds|pounded|hammering|hammers)\b|"
     r"\bstomach (?:in|tied in) knots\b|\bknot in (?:her|his|their|my) stomach\b", "anxious"),
    (r"\b(?:(?:her|his|their|my) )?blood (?:running|runs|ran|turning|turns|turned) cold\b|"
     r"\bhair (?:standing|stands|stood) on end\b", "frightened"),
    (r"\b(?:(?:her|his|their|my) )?(?:eyes|face) (?:light|lights|lit|lighting) up\b|"
     r"\b(?:(?:her|his|their|my) )?heart (?:leaps|leapt|leaping|soars|soared|soaring|sings|singing)\b", "delighted"),
    (r"\b(?:(?:her|his|their|my) )?heart (?:melts|melted|melting)\b", "tender"),
    (r"\b(?:dying|crying|screaming|breaking|crumbling) inside\b", "inwardly devastated"),
    (r"\b(?:turn(?:s|ing|ed)?|go(?:es|ing)?|went|gone) sour\b", "turning into disappointment"),
    (r"\b(?:(?:that|which) )?(?:fades|fading|faded|ebbs|ebbing|ebbed|subsides|subsiding|subsided|evaporates|"
     r"evaporating|evaporated|wears off|wearing off|wore off|drains away|draining away|melts away|melting away)"
     r"(?: away)?$", "turning into neutral"),
    (r"\b(?:turn(?:s|ing|ed)?|go(?:es|ing)?|went|gone) (?:beetroot|crimson|scarlet|bright red|red|pink)\b|"
     r"\bred as a beetroot\b", "blushing"),
    (r"\bgrit(?:ting|ted|s)? (?:her|his|their|my) teeth\b", "gritted teeth"),
    (r"\bpretend(?:ing|s|ed)? not to care\b", "feigned indifference"),
    (r"\bput(?:s|ting)? on a (?:smile|brave smile|happy face|cheerful face|show)\b", "forced smile"),
    (r"\b(?:ready|about|going|fit) to (?:explode|burst with rage|"
     r"blow (?:up|a fuse|a gasket|(?:her|his|their|my) top))\b|"
     r"\bblow(?:ing|s)? (?:a fuse|a gasket|(?:her|his|their|my) top)\b", "barely contained fury"),
    (r"\b(?:struggling|trying|fighting|barely managing) to (?:hold|keep) (?:it|herself|himself|themselves|myself) "
     r"together\b", "distress barely contained"),
    (r"\bovercome (?:with|by) emotion\b", "choked up"),
    (r"\b(?:tears|crying|sobbing|weeping|wept|cried|sobbed) (?:of|with|from) "
     r"(relief|gratitude|pride|happiness|delight)\b",
     r"overwhelming \1"),
    # "speechless with rage", "sick with worry", "giddy with relief": the state is how the feeling shows
    (r"\b(?:speechless|trembling|shaking|quivering|quaking|sick|weak|giddy|white|red|pale|green|rigid|frozen|"
     r"paralysed|paralyzed|numb|dizzy|breathless|hysterical|mad|crazy|wild|tearful|teary|choked up|aglow|glowing|"
     r"fizzing|buzzing|brimming|burning|boiling|heavy|incandescent|livid|puce|purple|quivering|flushed|shaky) with\b",
     "intensely"),
    (r"\b(?:on )?pins and needles\b", "anxious"),
    (r"\bat (?:the end of )?(?:her|his|their|my) (?:tether|rope|wits end)\b", "exasperated"),
    (r"\bblood (?:boil|boiling|boils)\b", "furious"), (r"\bhot under the collar\b", "angry"),
    (r"\b(?:in stitches|cracking up|cracked up|doubled over laughing)\b", "uncontrollable laughter"),
    (r"\bblown away\b", "awestruck"), (r"\blost for words\b", "speechless"),
    (r"\b(?:had enough|sick and tired)\b", "fed up"),
    (r"\b(?:walking on air|on top of the world)\b", "overjoyed"),
    (r"\b(?:scared|frightened) (?:to death|out of (?:her|his|their|my) wits)\b", "terrified"),
    (r"\bbored (?:to death|to tears|stiff)\b", "utterly bored"), (r"\bworried sick\b", "very worried"),
    (r"\b(?:white as a sheet|shaking like a leaf)\b", "terrified"), (r"\bcold feet\b", "nervous"),
    (r"\btear(?:s|ing)? up\b", "teary"), (r"\bbreak(?:s|ing)? down\b", "sobbing"),
    (r"\bbeside (?:her|him|them|my)sel(?:f|ves) with\b", "overwhelming"),
)
# "A, barely contained": A suppressed.
_SUPPRESSED_SUFFIX = (
    r"^(?P<a>.+?),? (?:(?:barely|only just|just|scarcely|carefully|tightly|firmly) )?"
    r"(?:contained|suppressed|held back|held in|kept in check|held in check|under control|"
    r"kept under control|bottled up|kept inside|swallowed|concealed|hidden|masked|restrained|"
    r"reined in|in check)$"
)
# A display smile with one of these around a negative feeling makes a mask ("sad but smiling").
_CONTRAST = r"\b(?:but|yet|though|although|while|whilst|despite|behind|beneath|under)\b"


@dataclass(frozen=True)
class EmotionPart:
    """One emotion in a reading: what, how strong, whether felt or shown or hidden, and when."""

    label: str  # canonical emotion name, a key of PROTOTYPES
    intensity: float  # 0..1
    role: str  # "felt" | "shown" (the cover) | "masked" (concealed, leaking) | "suppressed"
    phase: int  # 0, 1, 2, ... order in a transition
    words: str  # the source words that named it


@dataclass(frozen=True)
class EmotionReading:
    """A parsed emotion: its parts, how many phases, and the background cues found."""

    parts: tuple[EmotionPart, ...]
    phases: int
    cues: tuple[str, ...] = ()  # "funeral: grief, restraint", ...
    context: tuple[EmotionPart, ...] = ()  # background nudges that agree with the stated emotion

    def phase_parts(self, phase: int) -> tuple[EmotionPart, ...]:
        """The parts of one phase, in reading order."""
        return tuple(p for p in self.parts if p.phase == phase)

    @property
    def labels(self) -> tuple[str, ...]:
        """Every label in reading order."""
        return tuple(p.label for p in self.parts)


def read_emotion(emotion: str, background: str = "") -> EmotionReading:
    """Parse emotion words (and background cues) into a reading. Empty emotion -> InputError."""
    if not (emotion or "").strip():
        raise InputError("is empty; expected words such as 'anxiety concealed by a restrained smile'",
                         field="emotion")
    parts: list[EmotionPart] = []
    negated: list[tuple[str, str]] = []
    for segment in _split_phases(_normalize(emotion)):
        found = _read_phase(segment, len({p.phase for p in parts}), negated)
        parts += found
    cues, cue_parts = _read_cues(background)
    if not parts:
        parts = _fallback(emotion, negated, cue_parts)
    stated = {VALENCE[p.label] for p in parts if VALENCE[p.label]}
    labels = {p.label for p in parts}
    context = tuple(c for c in cue_parts if c.label not in labels and -VALENCE[c.label] not in stated)
    phases = 1 + max(p.phase for p in parts)
    return EmotionReading(parts=tuple(parts), phases=phases, cues=cues, context=context)


def emotion_prior(reading: EmotionReading, position: float | None = None,
                  ) -> tuple[np.ndarray, tuple[Contribution, ...]]:
    """The reading as (61,) ARKit values in order A, with the contributions that explain them.

    ``position`` in [0, 1] is where the keyframe sits in the sequence and picks (blends)
    the phase of a transition; None is the whole emotion, first phase dominant.
    """
    weights = _phase_weights(reading.phases, position)  # (phases,)
    values = np.zeros(N_CHANNELS)
    contributions: list[Contribution] = []
    for phase, weight in enumerate(weights):
        if weight <= 0.0:
            continue
        vectors = []
        for part, vector, rule in _phase_vectors(reading, phase):
            vectors.append(vector)
            contributions += _explain(vector * weight, part.words, rule)
        values += weight * _combine(vectors)
    context = []
    for part in reading.context:
        vector = _PROTO_VEC[part.label] * part.intensity
        context.append(vector)
        contributions += _explain(vector, part.words, f"background cue: {part.label} ({prototype_aus(part.label)})")
    if context:
        values = _combine([values, *context])
    return np.clip(values, LOW, HIGH), tuple(contributions)


def prototype_aus(label: str) -> str:
    """The AU numbers of a label's prototype, 'AU1+2+5+26' (for explanations)."""
    codes = [re.sub(r"[A-Z]", "", c) for c in _EMOTIONS[label][0].split("+") if c]
    return "AU" + "+".join(codes) if codes else "no AUs"


# --- prototypes ------------------------------------------------------------------------


_PROTO_VEC: dict[str, np.ndarray] = {k: facs_vector(v[0]) for k, v in _EMOTIONS.items()}
PROTOTYPES: dict[str, dict[str, float]] = {
    label: {CHANNELS[i]: float(vec[i]) for i in np.flatnonzero(vec)} for label, vec in _PROTO_VEC.items()
}
_CONTROL = facs_vector("17B+24C")  # the effort of holding a face still (suppression)


def _region_gains(gains: dict[str, float], default: float) -> np.ndarray:
    """(61,) multipliers from per-region gains."""
    return np.array([gains.get(region_of(n), default) for n in CHANNELS])


# How much of a part's prototype each role keeps, per region (Ekman's reliable muscles:
# a concealed feeling leaks in the brows and eyes; the cover owns the mouth).
_ROLE_GAINS: dict[str, np.ndarray] = {
    "felt": np.ones(N_CHANNELS),
    "shown": _region_gains({"brows": 0.25, "eyes": 0.3, "cheeks": 0.5, "gaze": 0.5, "head": 0.5}, 1.0),
    "masked": _region_gains({"brows": 0.6, "eyes": 0.45, "gaze": 0.6, "head": 0.5}, 0.1),
    "suppressed": _region_gains({"brows": 0.6, "eyes": 0.5, "gaze": 0.7, "head": 0.6, "cheeks": 0.4}, 0.3),
}
_DUCHENNE = np.array([n.startswith("CheekSquint") for n in CHANNELS])  # AU6, absent in a false smile


# --- vocabulary ------------------------------------------------------------------------


def _build_lexicon() -> tuple[dict[str, tuple[str, float]], dict[tuple[str, ...], tuple[str, float]]]:
    """Single words and multi-word phrases -> (label, base intensity)."""
    words: dict[str, tuple[str, float]] = {}
    phrases: dict[tuple[str, ...], tuple[str, float]] = {}
    for label, entries in _VOCAB.items():
        for entry in entries.split():
            term, _, value = entry.partition(":")
            item = (label, float(value) if value else 0.7)
            if "_" in term:
                phrases.setdefault(tuple(term.split("_")), item)
            else:
                words.setdefault(term, item)
    return words, phrases


_WORDS, _PHRASES = _build_lexicon()
_MAX_PHRASE = max(len(p) for p in _PHRASES)
_BY_INITIAL: dict[str, list[str]] = {}
for _w in sorted(_WORDS):
    _BY_INITIAL.setdefault(_w[0], []).append(_w)

_SUFFIXES = (("ily", "y"), ("iness", "y"), ("edly", "ed"), ("ingly", "ing"), ("fully", "ful"),
             ("ly", ""), ("ness", ""), ("ful", ""), ("ment", ""), ("ed", ""), ("ed", "e"), ("d", ""),
             ("ing", ""), ("ing", "e"), ("es", ""), ("s", ""), ("ied", "y"), ("ies", "y"), ("ity", ""),
             ("ier", "y"), ("dder", "d"), ("tter", "t"), ("er", ""), ("est", ""))  # angrier, sadder, calmer


# Second halves of hyphenated compounds whose first half names the feeling.
_COMPOUND_TAIL = re.compile(r"([a-z]{3,}?)(?:filled|stricken|struck|ridden|laden|fueled|fuelled|tinged|faced|eyed|"
                            r"wracked|racked|choked|crazed|drunk|soaked|hearted|looking|seeming|sounding)")


def _forms(word: str) -> list[str]:
    """The word, its American spelling, and stems a suffix or two shorter."""
    base = [word]
    us = re.sub(r"is(e|ed|es|ing|ation)$", r"iz\1", word.replace("our", "or"))
    if us != word:
        base.append(us)
    out = list(base)
    for w in base:
        for suffix, repl in _SUFFIXES:
            if w.endswith(suffix) and len(w) - len(suffix) + len(repl) >= 3:
                stem = w[: -len(suffix)] + repl
                out.append(stem)
                out += [stem[: -len(s)] + r for s, r in _SUFFIXES[:8]
                        if stem.endswith(s) and len(stem) - len(s) >= 3]
    return out


def _lookup(word: str) -> tuple[str, float] | None:
    """(label, base intensity) for one word in any listed form, else None.

    A hyphen-joined compound ("dread-filled", "guilt-ridden", "sad-eyed") falls back to its head.
    """
    for form in _forms(word):
        if form in _WORDS:
            return _WORDS[form]
    m = _COMPOUND_TAIL.fullmatch(word)
    if m and m.group(1) not in _AMBIGUOUS:
        return next((_WORDS[f] for f in _forms(m.group(1)) if f in _WORDS), None)
    return None


def _fuzzy(word: str) -> tuple[str, float] | None:
    """A misspelt emotion word ('suprised', 'anxous'), only for longer content words."""
    if len(word) < 5 or word in _FUNCTION or word in _DIMINISH or word in _INTENSIFY:
        return None
    close = difflib.get_close_matches(word, _BY_INITIAL.get(word[0], []), n=1, cutoff=0.86)
    return _WORDS[close[0]] if close else None


# --- parsing ---------------------------------------------------------------------------


@functools.cache
def _rx(pattern: str) -> re.Pattern[str]:
    """Compile a grammar pattern on first use (keeps import fast: the CLI imports this module)."""
    return re.compile(pattern)


def _normalize(text: str) -> str:
    """Lower case, emoji as words, no accents or apostrophes, hyphenated words joined, single spaces."""
    text = "".join(f" {_EMOJI[c]} " if c in _EMOJI else c for c in text or "")
    text = _ACCENT_RE.sub("", unicodedata.normalize("NFKD", text or "")).lower()
    text = re.sub(r"['\u2019`]", "", text)
    text = re.sub(r"(?<=[a-z])-(?=[a-z])", "", text)
    return " ".join(_TOKEN_RE.findall(text))


def _split_phases(text: str) -> list[str]:
    """Split on transition markers into ordered phase texts (idioms rewritten first)."""
    for pattern, words in _IDIOMS:
        text = _rx(pattern).sub(words, text)
    m = _rx(_FROM_TO).search(text)
    chunks = [text[: m.start()] + " " + m.group(1), m.group(2)] if m else [text]
    out: list[str] = []
    for chunk in chunks:
        for piece in _rx(_TRANSITION).split(chunk):
            halves = _rx(_AFTER).split(piece)
            out += reversed(halves)  # "relief after a scare": the scare comes first
    return [p.strip(" ,;") for p in out if p.strip(" ,;")]


@dataclass
class _Hit:
    """An emotion word found in a token list."""

    start: int
    end: int
    label: str
    intensity: float
    words: str
    display: bool
    role: str = "felt"
    false: bool = False  # a false-smile or feigning word came before it ("forced", "polite", "mock")


def _scan(text: str, negated: list[tuple[str, str]], fuzzy: bool = False) -> list[_Hit]:
    """Emotion words in a text, with modifiers, negation and suppression applied."""
    tokens = text.split()
    hits: list[_Hit] = []
    i = 0
    while i < len(tokens):
        hit = None
        for n in range(min(_MAX_PHRASE, len(tokens) - i), 1, -1):
            item = _PHRASES.get(tuple(tokens[i:i + n]))
            if item:
                hit = _Hit(i, i + n, item[0], item[1], " ".join(tokens[i:i + n]), tokens[i + n - 1] in _DISPLAY
                           or "_".join(tokens[i:i + n]) in _DISPLAY)
                break
        if hit is None and not _starts_modifier(tokens, i):
            item = _lookup(tokens[i]) or (_fuzzy(tokens[i]) if fuzzy else None)
            if item:
                hit = _Hit(i, i + 1, item[0], item[1], tokens[i], tokens[i] in _DISPLAY)
        if hit is None:
            i += 1
            continue
        previous_end = hits[-1].end if hits else 0
        window = tokens[max(previous_end, hit.start - 4):hit.start]
        if _apply_modifiers(hit, window):
            negated.append((" ".join(window + [hit.words]), hit.label))
        else:
            hits.append(hit)
        i = hit.end
    return _merge_compounds(hits, tokens)


def _starts_modifier(tokens: list[str], i: int) -> bool:
    """Whether tokens[i] begins a modifier ('kind of', 'a touch of', 'slightly'), not an emotion."""
    return any("_".join(tokens[i:i + n]) in _MODIFIERS for n in (1, 2, 3))


def _apply_modifiers(hit: _Hit, window: list[str]) -> bool:
    """Scale intensity and set role from the words before a hit; True when negated."""
    keys = _modifier_keys(window)
    stop = max((j for j, k in enumerate(keys) if k in (",", ";", "and", "but", "with", "or")), default=-1)
    if any(k in _NEGATIONS for k in keys[stop + 1:]):
        return True
    text = " ".join(window)
    for key in keys:
        if key in _SUPPRESS:
            if hit.display and key in _SOFTEN_DISPLAY:
                hit.intensity *= 0.6
            else:
                hit.role = "suppressed"
                hit.words = f"{text} {hit.words}".strip()
            break
    for key in keys:
        if key in _DIMINISH and key not in _SUPPRESS:
            hit.intensity *= _DIMINISH[key]
        elif key in _INTENSIFY:
            hit.intensity += (1.0 - hit.intensity) * _INTENSIFY[key]
    if any(w in _FALSE_SMILE for w in window) and (hit.display or any(w in _FEIGN for w in window)):
        hit.words = f"{' '.join(w for w in window if w in _FALSE_SMILE)} {hit.words}"
        hit.false = True
        if any(w in _FEIGN for w in window):
            hit.role = "shown"  # "mock surprise", "feigned indifference": displayed, not felt
    elif hit.role == "felt" and any(k in _DIMINISH or k in _INTENSIFY for k in keys):
        mods = [k.replace("_", " ") for k in keys if k in _DIMINISH or k in _INTENSIFY]
        hit.words = " ".join(mods + [hit.words])
    hit.intensity = float(min(1.0, max(0.05, hit.intensity)))
    return False


def _modifier_keys(window: list[str]) -> list[str]:
    """Words before a hit as modifier keys, longest known phrase first ('a_hint_of', 'no_longer')."""
    keys: list[str] = []
    j = 0
    while j < len(window):
        n = next((n for n in (3, 2) if "_".join(window[j:j + n]) in _MODIFIERS and j + n <= len(window)), 1)
        keys.append("_".join(window[j:j + n]))
        j += n
    return keys


def _merge_compounds(hits: list[_Hit], tokens: list[str]) -> list[_Hit]:
    """Adjacent basic-emotion words that name a Du et al. compound become one hit."""
    out: list[_Hit] = []
    for hit in hits:
        if out and out[-1].end == hit.start and out[-1].role == hit.role == "felt":
            pair = (out[-1].label, hit.label)
            label = _COMPOUNDS.get(pair) or _COMPOUNDS.get(pair[::-1])
            if label:
                prev = out.pop()
                hit = _Hit(prev.start, hit.end, label, max(prev.intensity, hit.intensity),
                           f"{prev.words} {hit.words}", False)
        out.append(hit)
    return out


def _read_phase(text: str, phase: int, negated: list[tuple[str, str]]) -> list[EmotionPart]:
    """One phase's parts, with masks and suppression resolved."""
    m = _rx(_NOT_TO).match(text)
    if m:  # "smiling, trying not to cry": the held-back feeling is suppressed
        held = [_with_hit_role(h, "suppressed") for h in _scan(m.group("a"), negated)]
        if held:
            hits = _dedupe(_scan(m.group("b"), negated) + held)
            return _infer_mask(hits, text, phase)
    for pattern in (_POSING_AS, _MASKED_BY, _HIDING, _LOOKING, _BEHIND_MASK):
        m = _rx(pattern).match(text)
        if m:
            hidden_text, cover_text = m.group("a"), m.group("b")
            if pattern is _HIDING:  # "hiding A behind B", "A, hiding it with B"
                sub = _rx(_BEHIND).match(hidden_text)
                if sub:
                    hidden_text, cover_text = sub.group("x"), f"{cover_text} {sub.group('y')}"
                if _rx(_PRONOUN).match(hidden_text):
                    hidden_text, cover_text = m.group("b"), sub.group("y") if sub else ""
            hidden = _dedupe(_scan(hidden_text, negated))
            if hidden:
                cover = _dedupe(_scan(cover_text, negated))
                out = [_part(h, "masked" if h.role in ("felt", "shown") else h.role, phase) for h in hidden]
                out += [_part(c, "shown", phase) for c in cover]
                if not cover:  # "trying to hide A": the cover is a composed face
                    out.append(EmotionPart("composure", 0.5, "shown", phase, m.group(0)))
                return out
    m = _rx(_SUPPRESSED_SUFFIX).match(text)
    if m:
        hits = _scan(m.group("a"), negated)
        if hits:
            return [_part(h, "suppressed", phase, suffix=text[m.end("a"):].strip(" ,")) for h in hits]
    hits = _scan(text, negated) or _scan(text, negated, fuzzy=True)
    return _infer_mask(_dedupe(hits), text, phase)


def _with_hit_role(hit: _Hit, role: str) -> _Hit:
    hit.role = role
    return hit


def _dedupe(hits: list[_Hit]) -> list[_Hit]:
    """One hit per (label, role): 'furiously livid' is one anger, at the stronger intensity."""
    out: dict[tuple[str, str], _Hit] = {}
    for hit in hits:
        key = (hit.label, hit.role)
        if key in out:
            first = out[key]
            first.intensity = max(first.intensity, hit.intensity)
            first.words = f"{first.words} {hit.words}"
        else:
            out[key] = hit
    return list(out.values())


def _infer_mask(hits: list[_Hit], text: str, phase: int) -> list[EmotionPart]:
    """Masks the grammar did not spell out.

    A false smile ("forced smile", "forced cheerfulness") is shown; a smile or a calm face set
    against a negative feeling ("sad but smiling", "outwardly calm, inwardly panicking",
    "a sad smile") is the cover and the feeling leaks; "inwardly/underneath" marks what is hidden.
    """
    tokens = text.split()
    inner = _clause_marks(tokens, _INWARD_WORDS)
    outer = _clause_marks(tokens, _OUTWARD_WORDS)
    false = [h for h in hits if h.false]
    covers = [h for h in hits if h.role in ("felt", "shown") and (
        (h.display and h.label in ("happiness", "amusement")) or h.label in _COVER_LABELS
        or h in false or outer[h.start])]
    hidden = [h for h in hits if h not in covers and h.role in ("felt", "suppressed")
              and (VALENCE[h.label] < 0 or inner[h.start])]
    adjacent = any(c.display and any(h.end == c.start for h in hidden) for c in covers)  # "a sad smile"
    contrast = _rx(_CONTRAST).search(text) or any(inner) or any(outer)
    if covers and hidden and (false or contrast or adjacent):
        return [_part(h, "shown" if h in covers else "masked" if h in hidden else h.role, phase) for h in hits]
    out = []
    for h in hits:
        role = "shown" if h in false or h.role == "shown" else h.role
        out.append(_part(h, role, phase))
        covered = _FALSE_SMILE.get(h.words.split()[0]) if h in false else None
        if covered and not hidden and h.label in ("happiness", "amusement"):
            out.append(EmotionPart(covered, 0.3, "masked", phase, h.words))
    return out


def _clause_marks(tokens: list[str], words: frozenset[str]) -> list[bool]:
    """Per token: whether its clause (between commas/'but'/'yet'/'and') holds one of ``words``."""
    marks = [False] * (len(tokens) + 1)
    start = 0
    for i in range(len(tokens) + 1):
        if i == len(tokens) or tokens[i] in (",", ";", "but", "yet", "and", "while", "though"):
            if any(t in words for t in tokens[start:i]):
                marks[start:i] = [True] * (i - start)
            start = i + 1
    return marks


def _part(hit: _Hit, role: str, phase: int, suffix: str = "") -> EmotionPart:
    words = f"{hit.words} {suffix}".strip()
    return EmotionPart(hit.label, round(hit.intensity, 3), role, phase, words)


def _fallback(emotion: str, negated: list[tuple[str, str]], cue_parts: list[EmotionPart]) -> list[EmotionPart]:
    """No emotion word understood: lean on the background, else a near-neutral face.

    Only negations ("not angry"): a near-neutral face; "not happy" (a denied good feeling)
    reads as mild disappointment, as people mean it.
    """
    if cue_parts and not negated:
        return [EmotionPart(p.label, min(1.0, p.intensity * 2.0), "felt", 0, p.words) for p in cue_parts]
    words = "; ".join(dict.fromkeys(w for w, _ in negated)) if negated else emotion.strip()
    if any(VALENCE[label] > 0 for _, label in negated):
        return [EmotionPart("disappointment", 0.35, "felt", 0, words)]
    return [EmotionPart("neutral", 0.3, "felt", 0, words)]


# --- background cues -------------------------------------------------------------------

# (pattern, cue name, ((label, intensity), ...)). A cue only nudges: intensities stay small.
_CUES: tuple[tuple[str, str, tuple[tuple[str, float], ...]], ...] = tuple(
    (rf"\b(?:{pattern})\b", name, labels) for pattern, name, labels in (
        (r"job interview|interview|audition|waiting room|waits outside|exam(?!ple)|test|hearing|trial|"
         r"first date|presentation|public speaking|on stage|speech|deadline|verdict|blind date",
         "nervous restraint", (("anxiety", 0.2), ("composure", 0.25))),
        (r"funeral|grave|cemetery|memorial|wake(?! up)|mourning|eulogy|burial|passed away|died|death|coffin|"
         r"hospice|condolence",
         "grief, restraint", (("sadness", 0.25), ("composure", 0.25))),
        (r"surprise party|surprise birthday|unexpected gift|welcome home|homecoming|reunion|reunited",
         "surprise then joy", (("happily surprised", 0.25),)),
        (r"proposal|proposes|engagement|engaged|wedding|marriage", "joy, emotion",
         (("happiness", 0.2), ("tenderness", 0.15))),
        (r"job loss|lost (?:his|her|their|my) job|laid off|fired|dismissed|made redundant|redundancy|"
         r"rejected|rejection|break ?up|dumped|divorce|eviction|evicted|bankrupt",
         "loss", (("sadness", 0.2), ("shock", 0.15))),
        (r"exam results?|test results?|grades|acceptance letter|admissions?|results? (?:are|is) announced",
         "awaited result", (("anxiety", 0.2), ("hope", 0.15))),
        (r"promot\w*|wins|won|victory|award|prize|lottery|jackpot|champion|medal|graduat\w*",
         "success", (("pride", 0.2), ("happiness", 0.15))),
        (r"horror|haunted|ghost|monster|dark corridor|dark alley|intruder|chased|being followed|"
         r"strange noise|footsteps|scream|zombie|creature|killer|attack",
         "threat", (("fear", 0.25),)),
        (r"(?:child|kid|son|daughter|grandchild|toddler)(?:s)? (?:gift|drawing|present|card)|"
         r"gift from (?:a|her|his|their|my) (?:child|kid|son|daughter)|newborn|baby|puppy|kitten|hugs?|embrace\w*|"
         r"(?:child|kid|son|daughter|toddler) (?:gives|hands|brings|shows) (?:\w+ ){1,4}?"
         r"(?:drawing|gift|present|card|flowers?|hug)",
         "tenderness", (("tenderness", 0.25),)),
        (r"argument|arguing|argue|fight(?! back)|quarrel|confrontation|insult|betray\w*|cheated|lied to|unfair|"
         r"injustice|rude|traffic jam|cut off",
         "conflict", (("anger", 0.2),)),
        (r"hospital|diagnosis|doctor|bad news|accident|emergency|missing|waiting for news|ill\b|sick",
         "worry", (("worry", 0.25),)),
        (r"rotten|stench|stink\w*|vomit|garbage|spoiled|spoilt|maggot|sewer|mould\w*|mold\w*|rancid|slime",
         "revolting thing", (("disgust", 0.25),)),
        (r"joke|comedy|comedian|funny|prank|sitcom|punchline", "humour", (("amusement", 0.25),)),
        (r"lecture|long meeting|meeting drags|waiting in line|queue|paperwork|lengthy|droning",
         "tedium", (("boredom", 0.2),)),
        (r"puzzle|riddle|instructions|math problem|equation|manual|crossword|chess",
         "problem to solve", (("concentration", 0.25),)),
        (r"old photo|photograph|photo album|childhood|hometown|letter from|memories|memory of|years ago",
         "memories", (("nostalgia", 0.25),)),
        (r"goodbye|farewell|leaving home|last day|moving away|departure|airport", "parting", (("bittersweet", 0.2),)),
        (r"injur\w*|stubs?|stubbed|cuts (?:his|her|their)|burns? (?:his|her|their)|sprain|broken (?:arm|leg|bone)|"
         r"dentist|needle|injection",
         "physical pain", (("pain", 0.25),)),
        (r"marathon|long shift|night shift|sleepless|all nighter|overtime|double shift|jet ?lag",
         "fatigue", (("exhaustion", 0.25),)),
        (r"apolog\w*|caught lying|caught stealing|mistake|blame|confess", "fault", (("guilt", 0.2),)),
        (r"spider|snake|cockroach|rat\b|heights|cliff edge|thunder|loud bang|explosion|earthquake|house fire|"
         r"car crash|near miss|turbulence|burglar",
         "danger", (("fear", 0.2),)),
        (r"scolded|yelled at|shouted at|critici[sz]ed|told off|reprimand\w*|humiliat\w*|laughed at|mocked",
         "reproach", (("embarrassment", 0.2), ("sadness", 0.1))),
        (r"compliment|praised|applause|standing ovation|congratulat\w*|thank(?:s|ed) (?:her|him|them)",
         "praise", (("pride", 0.15), ("happiness", 0.15))),
        (r"first kiss|love letter|crush|sweetheart|anniversary|holds? hands|confesses (?:her|his|their) love",
         "romance", (("tenderness", 0.25),)),
        (r"pet died|dog died|cat died|put down|passed on|terminal|lost (?:her|his|their) (?:mother|father|"
         r"wife|husband|son|daughter|friend|dog|cat)",
         "bereavement", (("sadness", 0.3),)),
        (r"long lost|old friend|reunites|sees (?:her|his|their) (?:mother|father|family) again|back home",
         "reunion", (("happiness", 0.2), ("tenderness", 0.15))),
        (r"missed the (?:bus|train|flight)|delayed|stuck in traffic|locked out|lost (?:her|his|their) keys|"
         r"broken (?:printer|computer|phone)|queue",
         "hassle", (("frustration", 0.2),)),
        (r"failed|fails|bad grades?|lost the (?:match|game|race)|loses the (?:match|game|race)|came last",
         "failure", (("disappointment", 0.25),)),
        (r"trips? (?:over|on)|spills?|stumbl\w*|wrong name|forgot (?:the|his|her) (?:name|lines)|awkward silence",
         "social slip", (("embarrassment", 0.25),)),
    )
)


def _read_cues(background: str) -> tuple[tuple[str, ...], list[EmotionPart]]:
    """Cue names found in the background, and the small nudges they imply."""
    text = _normalize(background)
    if not text:
        return (), []
    names: list[str] = []
    parts: list[EmotionPart] = []
    for pattern, name, labels in _CUES:
        m = _rx(pattern).search(text)
        if m:
            names.append(f"{m.group(0).strip()}: {name}")
            for label, intensity in labels:
                if all(p.label != label for p in parts):
                    parts.append(EmotionPart(label, intensity, "felt", 0, m.group(0).strip()))
    for hit in _scan(text, []):  # feelings the background names ("tries to hide their anxiety")
        ambiguous = (hit.words.replace(" ", "_") in _AMBIGUOUS
                     or any(form in _AMBIGUOUS for form in _forms(hit.words)))
        if not ambiguous and all(p.label != hit.label for p in parts):
            names.append(f"{hit.words}: mentions {hit.label}")
            parts.append(EmotionPart(hit.label, round(0.3 * hit.intensity, 3), "felt", 0, hit.words))
    return tuple(names), parts


# --- prior -----------------------------------------------------------------------------


def _phase_weights(phases: int, position: float | None) -> np.ndarray:
    """(phases,) weights: the phase at ``position``, or first-dominant when None.

    Phase k sits at k / (phases - 1). Between two phases the hand-over is a smoothstep over
    the middle half of the gap, so keyframes near a phase get that phase alone (with 4
    keyframes over "A turning into B": A, mostly A, mostly B, B) and the midpoint is 50/50.
    """
    if phases == 1:
        return np.ones(1)
    if position is None:
        w = np.full(phases, 0.35 / (phases - 1))
        w[0] = 0.65
        return w
    f = float(np.clip(position, 0.0, 1.0)) * (phases - 1)
    k = min(int(f), phases - 2)  # the gap [k, k + 1] holding f
    t = float(np.clip((f - k - 0.25) / 0.5, 0.0, 1.0))
    t = t * t * (3.0 - 2.0 * t)  # smoothstep
    w = np.zeros(phases)
    w[k], w[k + 1] = 1.0 - t, t
    return w


def _phase_vectors(reading: EmotionReading, phase: int) -> list[tuple[EmotionPart, np.ndarray, str]]:
    """Each part of a phase as a role-shaped vector with its explanation rule."""
    parts = reading.phase_parts(phase)
    masking = any(p.role == "masked" for p in parts)
    out = []
    for part in parts:
        role_gains = _ROLE_GAINS["felt" if part.role == "shown" and not masking else part.role]
        vector = _PROTO_VEC[part.label] * part.intensity * role_gains
        if part.role in ("masked", "suppressed") and part.words.split()[0] in ("barely", "thinly", "poorly"):
            vector = vector * 1.5  # a barely contained feeling leaks more
        words = part.words.split()
        false_smile = len(words) > 1 and words[0] in _FALSE_SMILE  # "forced smile", "polite smile"
        if part.role == "shown" and (masking or false_smile):
            vector = np.where(_DUCHENNE, vector * (0.2 if false_smile else 0.5), vector)
        role = "" if part.role == "felt" else f", {part.role}"
        out.append((part, vector, f"emotion prior: {part.label}{role} ({prototype_aus(part.label)})"))
        if part.role == "suppressed" or (part.role == "masked" and not any(p.role == "shown" for p in parts)):
            out.append((part, _CONTROL * part.intensity * 0.6, "suppression effort (AU17+24)"))
    return out


def _combine(vectors: list[np.ndarray]) -> np.ndarray:
    """Blend parts: blendshapes by soft OR (1 - prod(1 - v)), pose by sum."""
    if not vectors:
        return np.zeros(N_CHANNELS)
    stack = np.array(vectors)  # (parts, 61)
    out = stack.sum(axis=0)
    shapes = np.clip(stack[:, :N_BLENDSHAPES], 0.0, 1.0)
    out[:N_BLENDSHAPES] = 1.0 - np.prod(1.0 - shapes, axis=0)
    return out


def _explain(vector: np.ndarray, words: str, rule: str) -> list[Contribution]:
    """One Contribution per channel a rule moved noticeably."""
    return [Contribution(CHANNELS[i], round(float(vector[i]), 4), words, rule)
            for i in np.flatnonzero(np.abs(vector) >= 0.005)]
