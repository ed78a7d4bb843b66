"""The fault suite's phases, each a function `run(context, report)` that records its checks."""
