#!/usr/bin/env python3
"""Writes vllm-serve-dp2.log: a vLLM server log for the log reader's tests, written from vLLM's format strings.

Lines, by source (vLLM's logger prefix is "%(levelname)s %(asctime)s [%(filename)s:%(lineno)d] %(message)s",
vllm/logger.py; multiprocess workers add "(EngineCore_DP<rank> pid=<pid>) " and the API server "(APIServer pid=<pid>) "):
- iteration details, EngineCore.log_iteration_details (vllm/v1/engine/core.py, PR #31193): two DP ranks interleaved,
  one dummy step, one line cut short;
- iteration details of the frontend logger (vllm/v1/metrics/loggers.py, PR #46647): "Engine 000: " before,
  ", GPU KV cache usage: X%" after;
- stats lines, LoggingStatLogger.log (vllm/v1/metrics/loggers.py);
- MFU lines in both spellings with their "MFU details" JSON (json.dumps(indent=2)), copied from the golden vectors
  ../shared/golden/scheduler_steps.jsonl (pub-step-0012-llama-3.1-8b-log0, vLLM 2025-12, "TF/s/GPU") and the
  "[dp1] " prefix of the same file; the 2026-09 spelling "TF/s/device" as in ../shared/golden-latest;
- foreign lines (uvicorn, warnings, a Python traceback) that must be ignored.
Step timings are invented round figures for parsing tests, not measurements.
"""
import json

golden = None
for line in open("../../../../../shared/golden/scheduler_steps.jsonl"):
    d = json.loads(line)
    if d["id"] == "pub-step-0012-llama-3.1-8b-log0":
        golden = d["expected"]["log"]
assert golden is not None
mfu_gpu = golden["log_fn_messages"][0]
details = golden["debug_messages"][0]


def core(rank, t, msg):
    return f"(EngineCore_DP{rank} pid={4180 + rank}) INFO 12-02 10:00:{t:02d} [core.py:912] {msg}"


def api(t, msg, where="loggers.py:257"):
    return f"(APIServer pid=4100) INFO 12-02 10:00:{t:02d} [{where}] {msg}"


def it(i, cr, ct, gr, gt, ms, dummy=False):
    return (f"Iteration({i}): {cr} context requests, {ct} context tokens, {gr} generation requests, {gt} generation tokens, "
            f"iteration elapsed time: {ms:.2f} ms" + (" (dummy)" if dummy else ""))


lines = [
    "INFO:     Started server process [4100]",
    api(1, "Starting vLLM API server 0 on http://0.0.0.0:8000", "api_server.py:1912"),
    core(0, 2, it(0, 1, 2048, 0, 0, 96.25)),
    core(1, 2, it(0, 2, 1024, 0, 0, 52.50)),
    core(0, 2, it(1, 0, 0, 1, 1, 7.50)),
    core(1, 2, it(1, 0, 0, 0, 0, 0.41, dummy=True)),
    "WARNING 12-02 10:00:03 [scheduler.py:88] Iteration( is a word this reader must not take for a step",
    core(0, 3, it(2, 1, 512, 1, 1, 30.00)),
    core(1, 3, it(2, 0, 0, 2, 2, 7.75)),
    core(0, 3, "Iteration(3): 0 context requests, 0 context tokens, 2 generation requests, 2 gener"),
    core(0, 4, it(4, 0, 0, 2, 2, 7.80)),
    api(5, "Engine 000: Avg prompt throughput: 512.0 tokens/s, Avg generation throughput: 1.2 tokens/s, Running: 2 reqs, Waiting: 0 reqs, GPU KV cache usage: 0.3%, Prefix cache hit rate: 0.0%"),
    api(5, "Engine 001: Avg prompt throughput: 204.8 tokens/s, Avg generation throughput: 0.8 tokens/s, Running: 2 reqs, Waiting: 1 reqs, GPU KV cache usage: 0.1%, Prefix cache hit rate: 50.0%"),
    api(5, "Engine 000: Avg prompt throughput: 409.6 tokens/s, Avg generation throughput: 0.4 tokens/s, Running: 1 reqs, Waiting: 0 reqs, GPU KV cache usage: 0."),
    api(5, mfu_gpu, "perf.py:1201"),
] + [api(5, l, "perf.py:1188") if i == 0 else l for i, l in enumerate(details.split("\n"))] + [
    api(5, "[dp1] MFU: 15.8 TF/s/device 25.5 GB/s/device", "perf.py:1201"),
    api(6, "Engine 000: " + it(5, 0, 0, 3, 3, 8.10) + ", GPU KV cache usage: 0.4%"),
    api(6, "Engine 001: " + it(3, 1, 256, 1, 1, 12.40) + ", GPU KV cache usage: 0.2%"),
    "Traceback (most recent call last):",
    '  File "/usr/lib/python3.12/asyncio/runners.py", line 118, in run',
    "INFO:     127.0.0.1:51234 - \"POST /v1/completions HTTP/1.1\" 200 OK",
    api(7, "Engine 000: MFU: 15.8 TF/s/device 25.5 GB/", "perf.py:1201"),
]
with open("vllm-serve-dp2.log", "w") as f:
    f.write("\n".join(lines) + "\n")
