"""Timing from words and specs; the schedule on the frame grid."""

from __future__ import annotations

import math

import pytest

from keyframeface.data import KeyframeSpec
from keyframeface.errors import InputError
from keyframeface import timing as tm
from keyframeface.backends.engine.manner import read_manner
from keyframeface.data import Cycle, Motion
from keyframeface.timing import schedule


def specs(*texts: str) -> list[KeyframeSpec]:
    return [KeyframeSpec(t) for t in texts]


def transition_seconds(text: str) -> float:
    """The onset the words give, through the manner reader (what posing stores) and timing."""
    return tm.transition_seconds(read_manner(text))


def hold_seconds(text: str) -> float:
    return tm.hold_seconds(read_manner(text))


def choose_timing(specs: list[KeyframeSpec]) -> list[tuple[float, float]]:
    return tm.choose_timing(specs, [read_manner(s.description) for s in specs])


def entry_duration(specs: list[KeyframeSpec]) -> float:
    return tm.entry_duration([read_manner(s.description) for s in specs])


def test_pace_words_order_sudden_default_slow():
    sudden = transition_seconds("She suddenly gasps")
    plain = transition_seconds("She looks at the door")
    slow = transition_seconds("A smile slowly spreads")
    assert sudden < plain < slow
    assert 0.15 <= sudden <= 0.35 and 0.6 <= plain <= 0.9 and 1.2 <= slow <= 2.0
    for word in ("abrupt", "flinches", "startled", "instantly", "quick"):
        assert transition_seconds(f"he {word} back") == sudden, word
    for word in ("gradually", "lingering", "gently", "drifts", "melts", "fades"):
        assert transition_seconds(f"it {word} away") == slow, word


@pytest.mark.parametrize("verb", ["snap", "fly", "shoot", "jolt", "jerk", "burst", "flash"])
def test_ballistic_verbs_in_every_form_are_faster_than_sudden(verb):
    forms = {"snap": ("snaps", "snapped", "snapping"), "fly": ("flies", "flew", "flying"),
             "shoot": ("shoots", "shot", "shooting"), "jolt": ("jolts", "jolted", "jolting"),
             "jerk": ("jerks", "jerked", "jerking"), "burst": ("bursts", "burst", "bursting"),
             "flash": ("flashes", "flashed", "flashing")}[verb]
    for form in forms:
        seconds = transition_seconds(f"the brows {form} up")
        assert 0.1 <= seconds <= 0.2 and seconds < transition_seconds("suddenly"), form


@pytest.mark.parametrize("form", ["creeps", "crept", "creeping", "seeps", "seeping", "spreads", "spreading",
                                  "melts", "melted", "dawns", "dawning", "eases", "eased", "easing"])
def test_slow_verbs_in_every_form_take_one_to_two_seconds(form):
    seconds = transition_seconds(f"a smile {form} across her face")
    assert 1.0 <= seconds <= 2.0 and seconds > transition_seconds("she looks at the door"), form


def test_fastest_speed_word_wins_and_negated_ones_do_not_count():
    assert transition_seconds("slowly at first, then the eyes snap open") == transition_seconds("snaps")
    assert transition_seconds("the smile does not spread") == transition_seconds("she looks at the door")


def test_parts_at_different_paces_give_the_slowest_transition():
    assert transition_seconds("her eyes snap wide while a smile slowly spreads") == transition_seconds("slowly")


def test_a_tempo_word_on_a_cycle_verb_is_not_the_transition_pace():
    assert transition_seconds("she nods slowly") == transition_seconds("she nods")


def test_duration_comes_from_the_next_keyframe_and_last_is_zero():
    timing = choose_timing(specs("calm face", "suddenly flinches", "slowly relaxes"))
    assert [d for _, d in timing] == [transition_seconds("suddenly"), transition_seconds("slowly"), 0.0]
    assert entry_duration(specs("suddenly flinches")) == transition_seconds("suddenly")


def test_hold_words_hold_longer():
    assert hold_seconds("the stare holds") > hold_seconds("a stare") >= 0.3
    assert hold_seconds("frozen in place") == hold_seconds("she lingers")


def test_spec_values_win():
    timing = choose_timing([KeyframeSpec("suddenly", hold=2.0, duration=0.1), KeyframeSpec("x", hold=0.0)])
    assert timing == [(2.0, 0.1), (0.0, 0.0)]


@pytest.mark.parametrize("bad", [-0.1, math.nan, math.inf, "soon"])
@pytest.mark.parametrize("field", ["hold", "duration"])
def test_bad_timing_names_the_field(bad, field):
    kf = [KeyframeSpec("a"), KeyframeSpec("b", **{field: bad})]
    with pytest.raises(InputError) as e:
        choose_timing(kf)
    assert e.value.field == f"keyframes[1].{field}"
    assert f"keyframes[1].{field}" in str(e.value)


def test_schedule_on_frame_grid_with_lead_in_and_tail():
    fps = 30.0
    s = schedule([(0.5, 0.7), (0.0, 0.3), (1.0, 0.0)], fps, entry=0.6)
    assert s.start == pytest.approx(0.4)
    assert s.key_times[0] == pytest.approx(1.0)  # 0.4 at neutral + 0.6 entry
    for t in s.key_times + s.leave_times:
        assert t * fps == pytest.approx(round(t * fps), abs=1e-9)
    assert s.leave_times[0] - s.key_times[0] == pytest.approx(0.5)
    assert s.key_times[1] - s.leave_times[0] == pytest.approx(0.7)
    assert s.leave_times[1] == s.key_times[1]  # zero hold: a pass-through key
    assert s.end > s.leave_times[-1]  # tail hold
    assert s.frames(fps) == round(s.end * fps) + 1


def test_schedule_without_lead_in_starts_on_keyframe_one():
    s = schedule([(0.2, 0.0), (0.2, 0.0)], 24.0, start_neutral=False)
    assert s.start is None and s.key_times[0] == 0.0
    assert s.key_times[1] - s.leave_times[0] == pytest.approx(1 / 24)  # a zero transition lasts one frame


def test_schedule_rejects_bad_fps():
    with pytest.raises(InputError):
        schedule([(0.1, 0.0)], 0.0)


def test_missing_speed_words_read_fast_and_explicit_times_win():
    assert transition_seconds("the grin explodes across his face") <= transition_seconds("suddenly")
    assert transition_seconds("the smile spreads over 2 seconds") == 2.0
    assert transition_seconds("the brows lift within 300 ms") == pytest.approx(0.3)
    assert hold_seconds("she holds it for 1.5 s") == 1.5
    assert hold_seconds("hold for half a second") == 0.5
    assert hold_seconds("the brows lift, 2 s") == hold_seconds("the brows lift")  # a bare time times nothing


def test_the_last_hold_grows_so_a_counted_cycle_finishes():
    motion = read_manner("she nods three times")
    assert [(c.name, c.periods) for c in motion.cycles] == [("nod", 3)]
    hold, _ = tm.choose_timing([KeyframeSpec("calm"), KeyframeSpec("x")], [None, motion])[-1]
    nod = motion.cycles[0]
    assert hold + tm.TAIL >= 3 / nod.hz - 1e-9
    # not the last keyframe, or a hold the script fixes: unchanged
    assert tm.choose_timing([KeyframeSpec("x"), KeyframeSpec("y")], [motion, None])[0][0] == tm.DEFAULT_HOLD
    assert tm.choose_timing([KeyframeSpec("x", hold=0.2)], [motion])[0][0] == 0.2


def test_timing_reads_numbers_only():
    slow = Motion(pace=1.9, hold=0.8, cycles=(Cycle("nod", 2.0, 1.0, 1),))
    got = tm.choose_timing([KeyframeSpec("suddenly, she holds"), KeyframeSpec("snaps!")], [None, slow])
    assert got == [(tm.DEFAULT_HOLD, 1.9), (0.8, 0.0)]
