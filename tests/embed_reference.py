"""An independent reference for claimtrail's sentence embeddings (src/embed): the same
model (a sentence-transformers BERT folder) run with NumPy and Hugging Face's `tokenizers`
(tokenizer.json, where claimtrail reads vocab.txt), written from the model's published
architecture, not from claimtrail's code.

usage: embed_reference.py MODEL_DIR < texts.json > vectors.json
Reads a JSON list of texts, writes a JSON list of unit vectors (mean pooling over the
tokens, sentence-transformers' max_seq_length of 256 tokens). tests/fact_checks.rs runs it.
"""

import json
import math
import struct
import sys

import numpy as np
from tokenizers import Tokenizer


def safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + n])
    body = data[8 + n :]
    out = {}
    for name, t in header.items():
        if name == "__metadata__" or t["dtype"] != "F32":
            continue
        a, b = t["data_offsets"]
        out[name.removeprefix("bert.")] = np.frombuffer(body[a:b], "<f4").reshape(t["shape"])
    return out


def layer_norm(x, g, b, eps):
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    return (x - mu) / np.sqrt(var + eps) * g + b


ERF = np.vectorize(math.erf)


def main():
    model = sys.argv[1]
    cfg = json.load(open(f"{model}/config.json"))
    w = safetensors(f"{model}/model.safetensors")
    tok = Tokenizer.from_file(f"{model}/tokenizer.json")
    tok.no_padding()
    tok.enable_truncation(max_length=256)
    h, heads, eps = cfg["hidden_size"], cfg["num_attention_heads"], cfg["layer_norm_eps"]
    d = h // heads
    out = []
    for text in json.load(sys.stdin):
        ids = tok.encode(text).ids
        n = len(ids)
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][:n]
            + w["embeddings.token_type_embeddings.weight"][0]
        ).astype(np.float64)
        x = layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], eps)
        for i in range(cfg["num_hidden_layers"]):
            p = f"encoder.layer.{i}."

            def lin(name, v):
                return v @ w[p + name + ".weight"].T + w[p + name + ".bias"]

            q, k, v = (
                lin(f"attention.self.{m}", x).reshape(n, heads, d).transpose(1, 0, 2)
                for m in ("query", "key", "value")
            )
            s = q @ k.transpose(0, 2, 1) / math.sqrt(d)
            s = np.exp(s - s.max(-1, keepdims=True))
            s /= s.sum(-1, keepdims=True)
            ctx = (s @ v).transpose(1, 0, 2).reshape(n, h)
            a = layer_norm(
                lin("attention.output.dense", ctx) + x,
                w[p + "attention.output.LayerNorm.weight"],
                w[p + "attention.output.LayerNorm.bias"],
                eps,
            )
            up = lin("intermediate.dense", a)
            up = 0.5 * up * (1.0 + ERF(up / math.sqrt(2.0)))
            x = layer_norm(
                lin("output.dense", up) + a,
                w[p + "output.LayerNorm.weight"],
                w[p + "output.LayerNorm.bias"],
                eps,
            )
        mean = x.mean(0)
        out.append((mean / np.linalg.norm(mean)).tolist())
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
