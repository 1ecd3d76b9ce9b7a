#!/usr/bin/env python3
"""Writes llm-tp2-steps.pt.trace.json: an LLM-shaped Kineto trace for the trace reader's tests.

No GPU was available, so this is written from the format, not recorded: Kineto's Chrome-trace JSON as
torch.profiler writes it (see ../shared/traces/v100-train-rank-0.pt.trace.json.gz for a real one), with vLLM's
record_function step ranges ("gpu_model_runner: forward", vllm/v1/worker/gpu_model_runner.py) on the CPU and
the GPU timeline, and kernel names as cuBLAS, CUTLASS, FlashAttention 2, NCCL, vLLM's csrc and PyTorch emit them.
The model is a 2-layer Llama-shaped model at TP2 (one rank's trace): one prefill step, then three decode steps.
Durations are round numbers (µs) so the tests can state each category's total by hand; python3 make_llm_trace.py
rewrites the file byte for byte.
"""
import json

GEMM_QKV = "sm90_xmma_gemm_bf16bf16_bf16f32_f32_tn_n_tilesize128x128x64_warpgroupsize1x1x1_execute_segment_k_off_kernel__5x_cublas"
GEMM_O = "void cutlass::Kernel2<cutlass_80_tensorop_bf16_s16816gemm_relu_bf16_64x64_64x4_tn_align8>(cutlass_80_tensorop_bf16_s16816gemm_relu_bf16_64x64_64x4_tn_align8::Params)"
GEMM_UP = "nvjet_tst_128x256_64x4_1x2_h_bz_coopB_TNT"
GEMM_DOWN = "sm90_xmma_gemm_bf16bf16_bf16f32_f32_tn_n_tilesize64x128x64_warpgroupsize1x1x1_execute_segment_k_off_kernel__5x_cublas"
ATTN_PREFILL = "void flash::flash_fwd_kernel<Flash_fwd_kernel_traits<128, 128, 64, 4, false, false, cutlass::bfloat16_t, Flash_kernel_traits<128, 128, 64, 4, cutlass::bfloat16_t> >, false, true, false, false, true, true, false, false>(flash::Flash_fwd_params)"
ATTN_DECODE = "void flash::flash_fwd_splitkv_kernel<Flash_fwd_kernel_traits<128, 64, 128, 4, false, false, cutlass::bfloat16_t, Flash_kernel_traits<128, 64, 128, 4, cutlass::bfloat16_t> >, true, false, false, false, true, true, false, false>(flash::Flash_fwd_params)"
CACHE = "void vllm::reshape_and_cache_flash_kernel<__nv_bfloat16, __nv_bfloat16, (vllm::Fp8KVCacheDataType)0>(__nv_bfloat16 const*, __nv_bfloat16 const*, __nv_bfloat16*, __nv_bfloat16*, long const*, int, int, int, int, int, int, float const*, float const*)"
NORM = "void vllm::rms_norm_kernel<c10::BFloat16, 8, 2>(c10::BFloat16*, c10::BFloat16 const*, long, c10::BFloat16 const*, float, int, int)"
ADD_NORM = "void vllm::fused_add_rms_norm_kernel<c10::BFloat16, 8>(c10::BFloat16*, long, c10::BFloat16*, c10::BFloat16 const*, float, int, int)"
ROTARY = "void vllm::rotary_embedding_kernel<c10::BFloat16, true>(long const*, c10::BFloat16*, c10::BFloat16*, c10::BFloat16 const*, int, long, long, long, int, int, int)"
ACT = "void vllm::act_and_mul_kernel<c10::BFloat16, &(c10::BFloat16 vllm::silu_kernel<c10::BFloat16>(c10::BFloat16 const&)), false>(c10::BFloat16*, c10::BFloat16 const*, int)"
ALLREDUCE = "void vllm::cross_device_reduce_1stage<__nv_bfloat16, 2>(vllm::RankData*, vllm::RankSignals, vllm::Signal*, __nv_bfloat16*, int, int)"
NCCL = "ncclDevKernel_AllReduce_Sum_bf16_RING_LL(ncclDevKernelArgsStorage<4096ul>)"
EMBED = "void at::native::(anonymous namespace)::indexSelectLargeIndex<c10::BFloat16, long, unsigned int, 2, 2, -2, true>(at::cuda::detail::TensorInfo<c10::BFloat16, unsigned int>, at::cuda::detail::TensorInfo<c10::BFloat16 const, unsigned int>, at::cuda::detail::TensorInfo<long const, unsigned int>, int, int, unsigned int, unsigned int, long)"
SOFTMAX = "void at::native::(anonymous namespace)::cunn_SoftMaxForward<4, float, float, float, at::native::(anonymous namespace)::SoftMaxForwardEpilogue>(float*, float const*, int)"
ARGMAX = "void at::native::reduce_kernel<512, 1, at::native::ReduceOp<float, at::native::ArgMaxOps<float>, unsigned int, long, 4> >(at::native::ReduceOp<float, at::native::ArgMaxOps<float>, unsigned int, long, 4>)"

# (name, category, prefill µs, decode µs) per layer, in execution order.
LAYER = [
    (ADD_NORM, "norm", 4, 2), (GEMM_QKV, "gemm", 40, 10), (ROTARY, "norm", 3, 1), (CACHE, "attention", 2, 1),
    ("ATTN", "attention", 30, 12), (GEMM_O, "gemm", 20, 6), (ALLREDUCE, "collective", 15, 8),
    (ADD_NORM, "norm", 4, 2), (GEMM_UP, "gemm", 80, 20), (ACT, "norm", 6, 2), (GEMM_DOWN, "gemm", 40, 12),
    (NCCL, "collective", 15, 8),
]
HEAD = [(NORM, "norm", 2, 2), (GEMM_QKV, "gemm", 25, 25)]
SAMPLE = [(SOFTMAX, "norm", 5, 5), (ARGMAX, "norm", 3, 3)]
LAYERS = 2

events = []
corr = 1000
cpu_t = 1_000_000.0
gpu_t = 1_000_050.0


def kernel(name, dur):
    global corr, cpu_t, gpu_t
    corr += 1
    events.append({"ph": "X", "cat": "cuda_runtime", "name": "cudaLaunchKernel", "pid": 4242, "tid": 4242,
                   "ts": round(cpu_t, 3), "dur": 3.5, "args": {"External id": corr, "cbid": 211, "correlation": corr}})
    cpu_t += 4.0
    gpu_t = max(gpu_t, cpu_t + 2.0)
    events.append({"ph": "X", "cat": "kernel", "name": name, "pid": 0, "tid": 7, "ts": round(gpu_t, 3), "dur": float(dur),
                   "args": {"External id": corr, "queued": 0, "device": 0, "context": 1, "stream": 7, "correlation": corr,
                            "registers per thread": 128, "shared memory": 49152, "grid": [132, 1, 1], "block": [256, 1, 1]}})
    gpu_t += dur + 1.0


def memcpy(dur, nbytes):
    global corr, cpu_t, gpu_t
    corr += 1
    events.append({"ph": "X", "cat": "cuda_runtime", "name": "cudaMemcpyAsync", "pid": 4242, "tid": 4242,
                   "ts": round(cpu_t, 3), "dur": 6.0, "args": {"External id": corr, "cbid": 41, "correlation": corr}})
    cpu_t += 7.0
    gpu_t = max(gpu_t, cpu_t + 2.0)
    events.append({"ph": "X", "cat": "gpu_memcpy", "name": "Memcpy HtoD (Pinned -> Device)", "pid": 0, "tid": 7,
                   "ts": round(gpu_t, 3), "dur": float(dur),
                   "args": {"External id": corr, "device": 0, "context": 1, "stream": 7, "correlation": corr, "bytes": nbytes,
                            "memory bandwidth (GB/s)": round(nbytes / dur / 1e3, 2)}})
    gpu_t += dur + 1.0


def step(prefill):
    global cpu_t, gpu_t
    col = 2 if prefill else 3
    cpu_start, gpu_start = cpu_t, max(gpu_t, cpu_t + 2.0)
    memcpy(4, 65536)  # input ids and positions, inside the step
    kernel(EMBED, 3 if prefill else 2)
    for _ in range(LAYERS):
        for row in LAYER:
            kernel(ATTN_PREFILL if row[0] == "ATTN" and prefill else ATTN_DECODE if row[0] == "ATTN" else row[0], row[col])
    for row in HEAD:
        kernel(row[0], row[col])
    events.append({"ph": "X", "cat": "user_annotation", "name": "gpu_model_runner: forward", "pid": 4242, "tid": 4242,
                   "ts": round(cpu_start, 3), "dur": round(cpu_t - cpu_start, 3), "args": {"External id": corr + 500000}})
    events.append({"ph": "X", "cat": "gpu_user_annotation", "name": "gpu_model_runner: forward", "pid": 0, "tid": 7,
                   "ts": round(gpu_start, 3), "dur": round(gpu_t - gpu_start, 3), "args": {"External id": corr + 500000}})
    for row in SAMPLE:  # sampling runs after the forward range, still in this step
        kernel(row[0], row[col])
    cpu_t += 150.0  # scheduler and output processing between steps


events.append({"ph": "X", "cat": "cpu_op", "name": "aten::empty", "pid": 4242, "tid": 4242, "ts": 999_990.0, "dur": 2.0,
               "args": {"External id": 1, "Record function id": 0, "Ev Idx": 0}})
memcpy(10, 1048576)  # warm-up copy before the first step: outside every step
step(True)
for _ in range(3):
    step(False)

trace = {
    "schemaVersion": 1,
    "deviceProperties": [{"id": 0, "name": "NVIDIA H100 80GB HBM3", "totalGlobalMem": 85045231616, "computeMajor": 9,
                          "computeMinor": 0, "numSms": 132}],
    "distributedInfo": {"backend": "nccl", "rank": 0, "world_size": 2},
    "traceEvents": events,
    "traceName": "dp0_pp0_tp0_dcp0_ep0_rank0.1733130000000000000.pt.trace.json",
    "displayTimeUnit": "ms",
}
with open("llm-tp2-steps.pt.trace.json", "w") as f:
    f.write("{\n")
    f.write('  "schemaVersion": 1,\n')
    f.write('  "deviceProperties": ' + json.dumps(trace["deviceProperties"]) + ",\n")
    f.write('  "distributedInfo": ' + json.dumps(trace["distributedInfo"]) + ",\n")
    f.write('  "traceEvents": [\n')
    f.write(",\n".join("  " + json.dumps(e) for e in events))
    f.write("\n  ],\n")
    f.write('  "traceName": ' + json.dumps(trace["traceName"]) + ",\n")
    f.write('  "displayTimeUnit": "ms"\n}\n')
