"""Benchmarks (not tests): `python -m benchmarks [--quick] [--only NAME,...]`.

Groups: micro (in-process: analysis, engine cost, LLM calls and tokens, prompt caching),
service (real web + worker processes: ack, first message, end-to-end ratio, throughput,
memory), load (issue 6: 50 commands + 200 events, one web, two workers), streaming (issue 12),
burst (issue 21: 50 people in 50 channels at once, with the decomposition of each job's first second).
Results: a table on stdout and benchmarks/results.json (git-ignored); see RESULTS.md.
"""
